//! Demo data for a first look: a small salon with services, a month of
//! working hours, a few clients and bookings. Made through the store's public
//! interface, like any other data.

use jiff::{Timestamp, ToSpan};
use zapys_domain::client::{ClientDraft, ContactDetails};
use zapys_domain::{
    Actor, Duration, Language, PersonName, PhoneNumber, Price, ServiceDraft, ServiceName, Source, Transition,
    WorkingHours,
};
use zapys_store::{BookingRequest, SlotQuery, Store};

const SERVICES: [(&str, i64, Option<f64>, &str); 5] = [
    ("Жіноча стрижка", 60, Some(600.0), "Миття, стрижка та укладка"),
    ("Чоловіча стрижка", 45, Some(400.0), ""),
    ("Фарбування", 120, Some(1500.0), "Однотонне фарбування, матеріали включено"),
    ("Манікюр", 90, Some(700.0), "Класичний або апаратний, з покриттям"),
    ("Консультація", 30, None, "Безкоштовна консультація майстра"),
];

const CLIENTS: [(&str, &str, Option<i64>, Language); 6] = [
    ("Олена Коваленко", "+380671234501", Some(100_000_001), Language::Uk),
    ("Андрій Шевченко", "+380501234502", Some(100_000_002), Language::Uk),
    ("Марія Бондаренко", "+380931234503", Some(100_000_003), Language::Uk),
    ("Ігор Мельник", "+380661234504", None, Language::Uk),
    ("Софія Ткаченко", "+380971234505", Some(100_000_005), Language::Uk),
    ("Emily Clark", "+447700900123", Some(100_000_006), Language::En),
];

pub async fn fill(store: &dyn Store, now: Timestamp) -> anyhow::Result<()> {
    let mut settings = store.settings();
    settings.business_name = "Салон краси «Весна»".into();
    settings.address = "вул. Хрещатик, 1, Київ".into();
    settings.phone = "+380441234567".into();
    settings.hours = "Пн–Сб 9:00–18:00".into();
    store.save_settings(&settings).await?;

    let mut services = Vec::new();
    for (name, minutes, price, description) in SERVICES {
        let draft = ServiceDraft {
            name: ServiceName::parse(name)?,
            duration: Duration::from_minutes(minutes)?,
            price: price.map(Price::from_units).transpose()?,
            description: description.into(),
            hidden: false,
        };
        services.push(store.create_service(&draft).await?);
    }

    let tz = &settings.timezone;
    let today = tz.today(now);
    let hours = WorkingHours::new(
        today.tomorrow()?,
        today.checked_add(30.days())?,
        &[1, 2, 3, 4, 5, 6],
        jiff::civil::time(9, 0, 0, 0),
        jiff::civil::time(18, 0, 0, 0),
        60,
    )?;
    let starts: Vec<Timestamp> = hours.starts(tz).into_iter().map(|s| s.instant).collect();
    store.create_slots(&starts).await?;

    let mut clients = Vec::new();
    for (name, phone, telegram_id, language) in CLIENTS {
        let draft = ClientDraft {
            telegram_id: telegram_id.map(zapys_domain::TelegramId),
            contact: ContactDetails { name: PersonName::parse(name)?, phone: PhoneNumber::parse(phone)? },
            language,
        };
        clients.push(store.create_client(&draft).await?);
    }

    // Every fifth slot of the first two weeks, for a calendar that looks lived in.
    let slots = store.slots(&SlotQuery { from: Some(now), ..Default::default() }).await?.items;
    let mut booked = Vec::new();
    for (n, slot) in slots.iter().step_by(5).take(12).enumerate() {
        let request = BookingRequest {
            client_id: clients[n % clients.len()].id,
            service_id: services[n % services.len()].id,
            slot_id: slot.id,
            source: if n % 3 == 0 { Source::Admin } else { Source::Bot },
            notes: String::new(),
        };
        // A long service may run into the next booking; those are simply skipped.
        if let Ok(view) = store.book(&request, now).await {
            booked.push(view.appointment.id);
        }
    }
    for (n, &id) in booked.iter().enumerate() {
        let transition = match n % 4 {
            0 | 1 => Transition::Confirm,
            2 if n == 2 => Transition::Cancel { reason: Some("Клієнт захворів".into()) },
            _ => continue,
        };
        store.transition(id, &transition, Actor::Admin, now).await?;
    }
    fill_history(store, &services, &clients, now).await
}

/// Four weeks of past visits, so the analytics page has something to show.
async fn fill_history(
    store: &dyn Store,
    services: &[zapys_domain::Service],
    clients: &[zapys_domain::Client],
    now: Timestamp,
) -> anyhow::Result<()> {
    let tz = store.settings().timezone;
    let today = tz.today(now);
    let past = WorkingHours::new(
        today.checked_sub(28.days())?,
        today.yesterday()?,
        &[1, 2, 3, 4, 5, 6],
        jiff::civil::time(9, 0, 0, 0),
        jiff::civil::time(18, 0, 0, 0),
        60,
    )?;
    let starts: Vec<Timestamp> = past.starts(&tz).into_iter().map(|s| s.instant).collect();
    store.create_slots(&starts).await?;
    let slots =
        store.slots(&SlotQuery { from: starts.first().copied(), to: Some(now), ..Default::default() }).await?.items;
    for (n, slot) in slots.iter().enumerate().filter(|(n, _)| n % 3 == 0) {
        let request = BookingRequest {
            client_id: clients[n % clients.len()].id,
            service_id: services[n % services.len()].id,
            slot_id: slot.id,
            source: if n % 2 == 0 { Source::Bot } else { Source::Admin },
            notes: String::new(),
        };
        // Booked a few days ahead, then the visit happened (mostly).
        let booked_at = slot.starts_at - ((n % 5 + 1) as i64 * 24).hours();
        let Ok(view) = store.book(&request, booked_at).await else { continue };
        let after = slot.starts_at + 1.hour();
        let outcome = match n % 10 {
            0 => Transition::Cancel { reason: Some("Змінилися плани".into()) },
            3 => Transition::NoShow,
            _ => Transition::Complete,
        };
        let by = if n % 20 == 0 { Actor::Client } else { Actor::Admin };
        store.transition(view.appointment.id, &outcome, by, after).await?;
    }
    Ok(())
}
