//! "Come back": rebook nudges and rating requests fall due once per visit, only inside the
//! business's daytime hours, never to a client booked ahead, opted out, erased or blocked.

use jiff::{SignedDuration, Timestamp, ToSpan};
use zapys_domain::{Actor, AppointmentId, Client, Service, ServiceName, Source, Stars, Transition};

use super::{Shared, all_notices, client, hours_from_now, kinds, kyiv, now, request, service, slot};
use crate::ComebackPrefs;

const DAYS: u32 = 35;

/// A service clients are nudged to book again `DAYS` days after a visit.
async fn haircut(store: &Shared) -> Service {
    let plain = service(store, "Haircut", 60).await;
    let draft = zapys_domain::ServiceDraft {
        name: ServiceName::parse("Haircut").expect("valid"),
        duration: plain.duration,
        price: None,
        description: String::new(),
        hidden: false,
        buffers: zapys_domain::Buffers::NONE,
        rebook_after_days: Some(DAYS),
    };
    store.update_service(plain.id, &draft).await.expect("updates")
}

/// A visit of `client` at `at` (an hour), marked completed after it; answers it and its end.
async fn completed_visit(
    store: &Shared,
    service: &Service,
    client: &Client,
    at: Timestamp,
) -> (AppointmentId, Timestamp) {
    let slot = slot(store, at).await;
    let booked = store.book(&request(client, service, slot, Source::Admin), now()).await.expect("free");
    let id = booked.appointment.id;
    store.transition(id, &Transition::Complete, Actor::Admin, booked.appointment.ends_at).await.expect("completes");
    (id, booked.appointment.ends_at)
}

fn nudge_due(ends_at: Timestamp) -> Timestamp {
    ends_at + SignedDuration::from_hours(24 * i64::from(DAYS))
}

fn comeback_kinds(items: &[crate::OutboxItem]) -> Vec<(&'static str, Option<i64>)> {
    kinds(items).into_iter().filter(|(kind, _)| *kind == "rebook_nudge" || *kind == "rating_request").collect()
}

pub async fn a_rebook_nudge_falls_due_once_after_the_visit(store: Shared) {
    let haircut = haircut(&store).await;
    assert_eq!(store.service(haircut.id).await.expect("reads").rebook_after_days, Some(DAYS), "the field is kept");
    let olena = client(&store, 1).await;
    // 10:00–11:00 in Kyiv: the nudge falls due 35 days later at 11:00, inside the daytime hours.
    let (visit, ends_at) = completed_visit(&store, &haircut, &olena, hours_from_now(4)).await;
    let due = nudge_due(ends_at);
    assert_eq!(store.next_due(ends_at).await.expect("reads"), Some(due), "the scheduler knows when to wake");
    assert_eq!(store.schedule_due(due - 1.second()).await.expect("schedules"), 0, "not a second early");
    assert_eq!(store.schedule_due(due).await.expect("schedules"), 1);
    assert_eq!(store.schedule_due(due + 1.hour()).await.expect("schedules"), 0, "never twice for one visit");
    assert_eq!(store.schedule_due(due + 72.hours()).await.expect("schedules"), 0);
    let notices = all_notices(&store).await;
    assert_eq!(comeback_kinds(&notices), [("rebook_nudge", Some(1001))]);
    let nudge = notices.iter().find(|n| n.notice.name() == "rebook_nudge").expect("there");
    assert_eq!(nudge.appointment_id, Some(visit), "it is about the visit");
    assert_eq!(store.due_notices(due, 10).await.expect("reads").len(), 1, "and goes at once");
    assert_eq!(store.next_due(due).await.expect("reads"), None, "nothing more to wake for");

    let plain = service(&store, "Manicure", 30).await;
    let taras = client(&store, 2).await;
    let (_, plain_end) = completed_visit(&store, &plain, &taras, hours_from_now(6)).await;
    assert_eq!(store.schedule_due(nudge_due(plain_end) + 1.hour()).await.expect("schedules"), 0, "not asked for");

    // A nudge first seen more than a week after it fell due (downtime) is stale: not sent at all.
    let petro = client(&store, 3).await;
    let (_, late_end) = completed_visit(&store, &haircut, &petro, hours_from_now(8)).await;
    let stale = nudge_due(late_end) + SignedDuration::from_hours(8 * 24);
    assert_eq!(store.schedule_due(stale).await.expect("schedules"), 0, "too late to be welcome");
    assert_eq!(store.next_due(stale).await.expect("reads"), None);
}

pub async fn a_nudge_falling_due_at_night_goes_the_next_morning(store: Shared) {
    let haircut = haircut(&store).await;
    let olena = client(&store, 1).await;
    // 21:00–22:00 in Kyiv: due at 22:00, after the daytime hours (10:00–20:00).
    let (_, ends_at) = completed_visit(&store, &haircut, &olena, kyiv(2025, 6, 2, 21, 0)).await;
    let due = nudge_due(ends_at);
    let morning = kyiv(2025, 7, 8, 10, 0);
    assert_eq!(due, kyiv(2025, 7, 7, 22, 0));
    assert_eq!(store.next_due(ends_at).await.expect("reads"), Some(morning), "it wakes for the morning");
    assert_eq!(store.schedule_due(due).await.expect("schedules"), 0, "not at night");
    assert_eq!(store.next_due(due).await.expect("reads"), Some(morning), "not dropped: waiting");
    assert_eq!(store.schedule_due(kyiv(2025, 7, 8, 9, 59)).await.expect("schedules"), 0);
    assert_eq!(store.schedule_due(morning).await.expect("schedules"), 1, "in the morning");
    assert_eq!(comeback_kinds(&all_notices(&store).await), [("rebook_nudge", Some(1001))]);

    let mut settings = store.settings();
    settings.daytime =
        zapys_domain::Daytime::new(jiff::civil::time(8, 30, 0, 0), jiff::civil::time(22, 30, 0, 0)).expect("valid");
    settings.ask_rating = true;
    settings.rating_delay_hours = 5;
    store.save_settings(&settings).await.expect("saves");
    assert_eq!(store.settings(), settings, "the settings are kept");
}

pub async fn no_nudge_to_a_client_booked_ahead_opted_out_erased_or_blocked(store: Shared) {
    let haircut = haircut(&store).await;
    let mut clients = Vec::new();
    for n in 1..=5 {
        let c = client(&store, n).await;
        let (_, ends_at) = completed_visit(&store, &haircut, &c, hours_from_now(3 + n)).await;
        clients.push((c, ends_at));
    }
    let due = nudge_due(clients[4].1);
    // 2: booked ahead (another service, after the nudge would be due).
    let other = service(&store, "Manicure", 30).await;
    let ahead = slot(&store, due + 240.hours()).await;
    store.book(&request(&clients[1].0, &other, ahead, Source::Bot), now()).await.expect("free");
    // 3: opted out; 4: erased; 5: blocked the bot.
    store.set_rebook_opt_out(clients[2].0.id, true).await.expect("opts out");
    assert_eq!(
        store.comeback_prefs(clients[2].0.id).await.expect("reads"),
        ComebackPrefs { rebook_opt_out: true, blocked_at: None }
    );
    store.set_rebook_opt_out(clients[3].0.id, true).await.expect("opts out");
    store.erase_client(clients[3].0.id, Actor::Client, now()).await.expect("erases");
    assert_eq!(
        store.comeback_prefs(clients[3].0.id).await.expect("reads"),
        ComebackPrefs::default(),
        "erasing forgets their choices too"
    );
    store.set_chat_blocked(1005, Some(now())).await.expect("records");
    assert_eq!(store.comeback_prefs(clients[4].0.id).await.expect("reads").blocked_at, Some(now()));

    assert_eq!(store.schedule_due(due).await.expect("schedules"), 1);
    assert_eq!(comeback_kinds(&all_notices(&store).await), [("rebook_nudge", Some(1001))], "only the first");

    // The one who blocked the bot starts it again: their nudge, still fresh, goes.
    store.set_chat_blocked(1005, None).await.expect("records");
    assert_eq!(store.schedule_due(due + 1.hour()).await.expect("schedules"), 1);
    assert_eq!(
        comeback_kinds(&all_notices(&store).await),
        [("rebook_nudge", Some(1001)), ("rebook_nudge", Some(1005))]
    );
}

pub async fn ratings_are_asked_once_and_kept_once_per_visit(store: Shared) {
    let haircut = service(&store, "Haircut", 60).await;
    let olena = client(&store, 1).await;
    let (visit, ends_at) = completed_visit(&store, &haircut, &olena, hours_from_now(4)).await;
    assert_eq!(store.schedule_due(ends_at + 4.hours()).await.expect("schedules"), 0, "not asked by default");

    let mut settings = store.settings();
    settings.ask_rating = true;
    settings.rating_delay_hours = 3;
    store.save_settings(&settings).await.expect("saves");
    let due = ends_at + 3.hours();
    assert_eq!(store.next_due(ends_at).await.expect("reads"), Some(due));
    assert_eq!(store.schedule_due(due - 1.second()).await.expect("schedules"), 0);
    assert_eq!(store.schedule_due(due).await.expect("schedules"), 1);
    assert_eq!(store.schedule_due(due + 1.hour()).await.expect("schedules"), 0, "once per visit");
    assert_eq!(comeback_kinds(&all_notices(&store).await), [("rating_request", Some(1001))]);

    assert_eq!(store.rating(visit).await.expect("reads"), None);
    assert!(store.rate(visit, Stars::new(4).expect("valid"), due).await.expect("rates"));
    assert!(!store.rate(visit, Stars::new(1).expect("valid"), due).await.expect("answers"), "the first one stays");
    assert_eq!(store.rating(visit).await.expect("reads"), Some(Stars::new(4).expect("valid")));
    assert!(matches!(
        store.rate(AppointmentId(9999), Stars::new(3).expect("valid"), due).await,
        Err(crate::StoreError::NotFound { .. })
    ));

    let taras = client(&store, 2).await;
    let (second, _) = completed_visit(&store, &haircut, &taras, hours_from_now(6)).await;
    store.rate(second, Stars::new(5).expect("valid"), due).await.expect("rates");
    let figures = store.rating_figures(now(), now() + 24.hours()).await.expect("reads");
    assert_eq!(figures.by_staff.len(), 1);
    assert_eq!((figures.by_staff[0].average, figures.by_staff[0].count), (4.5, 2));
    assert_eq!(figures.by_service.len(), 1);
    assert_eq!(
        (figures.by_service[0].id, figures.by_service[0].name.as_str(), figures.by_service[0].count),
        (haircut.id.0, "Haircut", 2)
    );
    let before = store.rating_figures(now() - 24.hours(), now()).await.expect("reads");
    assert!(before.by_staff.is_empty() && before.by_service.is_empty(), "by when the visits started");
}
