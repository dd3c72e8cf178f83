//! Demo data for a first look: a small salon with services, a month of
//! working hours, a few clients and bookings. Made through the store's public
//! interface, like any other data.

use jiff::civil::time;
use jiff::{Timestamp, ToSpan};
use zapys_domain::client::{ClientDraft, ContactDetails};
use zapys_domain::{
    Actor, Buffers, Color, Duration, Language, PersonName, PhoneNumber, Price, ServiceDraft, ServiceName, Source,
    StaffDraft, StaffName, StaffService, Stretch, Transition, WeeklyHours,
};
use zapys_store::{BookAt, BookingRequest, GeneratedStart, SlotQuery, Store, sole_staff_member};

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

/// A wall-clock time as (hour, minute).
type HourMinute = (i8, i8);

/// Three staff members, each with their services (some at their own price or duration) and hours.
struct DemoStaff {
    name: &'static str,
    description: &'static str,
    /// Indexes into `SERVICES`, with an own price and duration where they differ.
    services: &'static [(usize, Option<f64>, Option<i64>)],
    /// Weekdays (1 = Monday) and the day's stretches; the gaps are breaks.
    weekdays: &'static [i64],
    stretches: &'static [(HourMinute, HourMinute)],
}

const STAFF: [DemoStaff; 3] = [
    DemoStaff {
        name: "Оксана Мельник",
        description: "Топ-стилістка, фарбування",
        services: &[(0, Some(750.0), None), (2, Some(1800.0), None), (4, None, None)],
        weekdays: &[2, 3, 4, 5, 6],
        stretches: &[((10, 0), (14, 0)), ((15, 0), (19, 0))],
    },
    DemoStaff {
        name: "Тарас Коваль",
        description: "Барбер",
        services: &[(1, None, Some(40)), (0, None, None), (4, None, None)],
        weekdays: &[1, 2, 3, 4, 5],
        stretches: &[((9, 0), (13, 0)), ((14, 0), (18, 0))],
    },
    DemoStaff {
        name: "Ірина Савчук",
        description: "Майстер манікюру",
        services: &[(3, None, None), (4, None, None)],
        weekdays: &[1, 3, 5, 6],
        stretches: &[((10, 0), (18, 0))],
    },
];

/// Cleaning after colouring and manicure: it blocks the staff member, not the client.
const BUFFERS_AFTER: [i64; 5] = [0, 0, 15, 10, 0];

pub async fn fill(store: &dyn Store, now: Timestamp) -> anyhow::Result<()> {
    let mut settings = store.settings();
    settings.business_name = "Салон краси «Весна»".into();
    settings.address = "вул. Хрещатик, 1, Київ".into();
    settings.phone = "+380441234567".into();
    settings.hours = "Пн–Сб 9:00–19:00".into();
    store.save_settings(&settings).await?;

    let mut services = Vec::new();
    for ((name, minutes, price, description), after) in SERVICES.into_iter().zip(BUFFERS_AFTER) {
        let draft = ServiceDraft {
            name: ServiceName::parse(name)?,
            duration: Duration::from_minutes(minutes)?,
            price: price.map(Price::from_units).transpose()?,
            description: description.into(),
            hidden: false,
            buffers: Buffers::from_minutes(0, after)?,
            rebook_after_days: None,
        };
        services.push(store.create_service(&draft).await?);
    }

    // The staff member every database starts with becomes the first of the three.
    let first = sole_staff_member(store).await?;
    let tz = &settings.timezone;
    let today = tz.today(now);
    let mut staff = Vec::new();
    for (n, member) in STAFF.iter().enumerate() {
        let draft = StaffDraft {
            name: StaffName::parse(member.name)?,
            description: member.description.into(),
            color: Color::nth(n),
            hidden: false,
            telegram_chat_id: None,
            services: member
                .services
                .iter()
                .map(|&(i, price, minutes)| {
                    Ok(StaffService {
                        service_id: services[i].id,
                        duration: minutes.map(Duration::from_minutes).transpose()?,
                        price: price.map(Price::from_units).transpose()?,
                    })
                })
                .collect::<anyhow::Result<_>>()?,
        };
        let id =
            if n == 0 { store.update_staff(first, &draft).await?.id } else { store.create_staff(&draft).await?.id };
        let mut stretches = Vec::new();
        for &weekday in member.weekdays {
            for &((fh, fm), (th, tm)) in member.stretches {
                stretches.push((weekday, Stretch::new(time(fh, fm, 0, 0), time(th, tm, 0, 0))?));
            }
        }
        store.set_weekly_hours(id, &WeeklyHours::new(stretches)?).await?;
        // Four weeks back (for the analytics) and a month ahead, every half hour of their hours.
        let schedule = store.schedule(id).await?;
        let grid = schedule.grid(today.checked_sub(28.days())?, today.checked_add(30.days())?, 30, tz);
        let starts: Vec<GeneratedStart> =
            grid.iter().map(|g| GeneratedStart { at: g.instant, ends_by: g.ends_by }).collect();
        store.generate_slots(id, &starts, None).await?;
        staff.push(store.staff_member(id).await?);
    }

    let mut clients = Vec::new();
    for (name, phone, telegram_id, language) in CLIENTS {
        let draft = ClientDraft {
            telegram_id: telegram_id.map(zapys_domain::TelegramId),
            contact: ContactDetails { name: PersonName::parse(name)?, phone: PhoneNumber::parse(phone)? },
            language,
        };
        clients.push(store.create_client(&draft).await?);
    }

    let mut booked = Vec::new();
    let mut n = 0;
    for member in &staff {
        // Every seventh time of the first two weeks, for a calendar that looks lived in.
        let query = SlotQuery {
            from: Some(now),
            to: Some(now + (14 * 24).hours()),
            staff_id: Some(member.id),
            newest_first: false,
            ..Default::default()
        };
        for slot in store.slots(&query).await?.items.iter().step_by(7) {
            let service = member.services[n % member.services.len()].service_id;
            let request = BookingRequest {
                client_id: clients[n % clients.len()].id,
                service_id: service,
                at: BookAt::Slot(slot.id),
                staff_id: None,
                source: if n % 3 == 0 { Source::Admin } else { Source::Bot },
                notes: String::new(),
            };
            n += 1;
            // A long service may run into the next booking or past closing; those are simply skipped.
            if let Ok(view) = store.book(&request, now).await {
                booked.push(view.appointment.id);
            }
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
    fill_history(store, &staff, &clients, now).await
}

/// Four weeks of past visits, so the analytics page has something to show.
async fn fill_history(
    store: &dyn Store,
    staff: &[zapys_domain::StaffMember],
    clients: &[zapys_domain::Client],
    now: Timestamp,
) -> anyhow::Result<()> {
    let mut n = 0_usize;
    for member in staff {
        let query = SlotQuery {
            from: Some(now - (28 * 24).hours()),
            to: Some(now),
            staff_id: Some(member.id),
            newest_first: false,
            ..Default::default()
        };
        for slot in store.slots(&query).await?.items.iter().step_by(4) {
            n += 1;
            let request = BookingRequest {
                client_id: clients[n % clients.len()].id,
                service_id: member.services[n % member.services.len()].service_id,
                at: BookAt::Slot(slot.id),
                staff_id: None,
                source: if n.is_multiple_of(2) { Source::Bot } else { Source::Admin },
                notes: String::new(),
            };
            // Booked a few days ahead, then the visit happened (mostly).
            let booked_at = slot.starts_at - ((n % 5 + 1) as i64 * 24).hours();
            let Ok(view) = store.book(&request, booked_at).await else { continue };
            let after = view.appointment.ends_at + 1.minute();
            let outcome = match n % 10 {
                0 => Transition::Cancel { reason: Some("Змінилися плани".into()) },
                3 => Transition::NoShow,
                _ => Transition::Complete,
            };
            let by = if n.is_multiple_of(20) { Actor::Client } else { Actor::Admin };
            store.transition(view.appointment.id, &outcome, by, after).await?;
        }
    }
    Ok(())
}
