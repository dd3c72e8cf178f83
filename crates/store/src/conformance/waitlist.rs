//! The waitlist's checks: waits, the offers a freed time writes, and their end.

use jiff::ToSpan;
use jiff::civil::Date;
use zapys_domain::{Actor, Notice, Source, Transition};

use super::{Shared, all_notices, client, hours_from_now, now, request, service, slot, staff_member};
use crate::{Reschedule, StoreError, Target, Wait, WaitDraft};

fn today(store: &Shared) -> Date {
    store.settings().timezone.today(now())
}

async fn join(store: &Shared, client: &zapys_domain::Client, draft: (&zapys_domain::Service, Date, bool)) -> Wait {
    let (service, day, around) = draft;
    let draft = WaitDraft { client_id: client.id, service_id: service.id, staff_id: None, day, around };
    store.join_wait(&draft, now()).await.expect("joins the waitlist")
}

/// The offers in the outbox: (chat, wait id, the freed start).
async fn offers(store: &Shared) -> Vec<(Option<i64>, Option<String>, Option<jiff::Timestamp>)> {
    all_notices(store)
        .await
        .into_iter()
        .filter(|n| n.notice == Notice::WaitlistOffer)
        .map(|n| (n.chat_id, n.detail, n.starts_at))
        .collect()
}

pub async fn a_cancellation_offers_the_time_to_waiting_clients_in_the_order_they_asked(store: Shared) {
    let haircut = service(&store, "Haircut", 60).await;
    let (booker, second, first, beside, other_day, stale) = (
        client(&store, 1).await,
        client(&store, 2).await,
        client(&store, 3).await,
        client(&store, 4).await,
        client(&store, 5).await,
        client(&store, 6).await,
    );
    let day = today(&store);
    let tomorrow = day.tomorrow().expect("valid");
    let yesterday = day.yesterday().expect("valid");
    let taken = store
        .book(&request(&booker, &haircut, slot(&store, hours_from_now(4)).await, Source::Bot), now())
        .await
        .expect("free");
    let first_wait = join(&store, &first, (&haircut, day, false)).await;
    let second_wait = join(&store, &second, (&haircut, day, false)).await;
    let beside_wait = join(&store, &beside, (&haircut, tomorrow, true)).await;
    join(&store, &other_day, (&haircut, tomorrow, false)).await;
    // Its day is over: a wait for yesterday and the days beside it covers today, but has expired.
    join(&store, &stale, (&haircut, yesterday, true)).await;
    // The one who gives the time up hears nothing of their own wait.
    join(&store, &booker, (&haircut, day, false)).await;

    store
        .transition(taken.appointment.id, &Transition::Cancel { reason: None }, Actor::Client, now())
        .await
        .expect("cancels");
    let at = Some(hours_from_now(4));
    assert_eq!(
        offers(&store).await,
        [
            (Some(1003), Some(first_wait.id.to_string()), at),
            (Some(1002), Some(second_wait.id.to_string()), at),
            (Some(1004), Some(beside_wait.id.to_string()), at),
        ],
        "in ask order, only waits whose window holds the time and whose day is not over"
    );
    let offer = all_notices(&store).await.into_iter().find(|n| n.notice == Notice::WaitlistOffer).expect("offered");
    assert_eq!(offer.appointment_id, Some(taken.appointment.id), "it names the booking that freed the time");
}

pub async fn a_move_away_offers_the_old_time_and_a_past_time_is_never_offered(store: Shared) {
    let haircut = service(&store, "Haircut", 60).await;
    let (booker, waiting) = (client(&store, 1).await, client(&store, 2).await);
    let day = today(&store);
    let wait = join(&store, &waiting, (&haircut, day, false)).await;
    let booked = store
        .book(&request(&booker, &haircut, slot(&store, hours_from_now(4)).await, Source::Admin), now())
        .await
        .expect("free");
    let later = slot(&store, hours_from_now(7)).await;
    let change = Reschedule {
        target: Some(Target::Slot(later)),
        staff_id: None,
        service_id: None,
        client_id: None,
        notes: None,
        source: Source::Admin,
        price: None,
    };
    store.reschedule(booked.appointment.id, &change, now()).await.expect("moves");
    assert_eq!(offers(&store).await, [(Some(1002), Some(wait.id.to_string()), Some(hours_from_now(4)))]);

    // Cancelled after it started: nothing to offer.
    store
        .transition(booked.appointment.id, &Transition::Cancel { reason: None }, Actor::Admin, hours_from_now(8))
        .await
        .expect("cancels");
    assert_eq!(offers(&store).await.len(), 1, "a time already past is not offered");
}

pub async fn a_wait_for_one_staff_member_hears_only_of_their_time(store: Shared) {
    let haircut = service(&store, "Haircut", 60).await;
    let olena = staff_member(&store, "Олена", &[&haircut]).await;
    let ivan = staff_member(&store, "Іван", &[&haircut]).await;
    let (booker, waiting) = (client(&store, 1).await, client(&store, 2).await);
    let day = today(&store);
    let draft = WaitDraft { client_id: waiting.id, service_id: haircut.id, staff_id: Some(olena), day, around: false };
    let wait = store.join_wait(&draft, now()).await.expect("joins");
    assert_eq!(wait.staff_id, Some(olena));
    let ivans = store.create_slot(ivan, hours_from_now(4)).await.expect("slot").id;
    let olenas = store.create_slot(olena, hours_from_now(5)).await.expect("slot").id;
    for slot in [ivans, olenas] {
        let booked = store.book(&request(&booker, &haircut, slot, Source::Admin), now()).await.expect("free");
        store
            .transition(booked.appointment.id, &Transition::Cancel { reason: None }, Actor::Admin, now())
            .await
            .expect("cancels");
    }
    assert_eq!(offers(&store).await, [(Some(1002), Some(wait.id.to_string()), Some(hours_from_now(5)))]);
}

pub async fn waits_are_one_per_day_listed_until_their_day_ends_and_left_only_by_their_client(store: Shared) {
    let haircut = service(&store, "Haircut", 60).await;
    let (a, b) = (client(&store, 1).await, client(&store, 2).await);
    let day = today(&store);
    let tomorrow = day.tomorrow().expect("valid");
    let wait = join(&store, &a, (&haircut, day, false)).await;
    assert_eq!(
        (wait.client_id, wait.service_id, wait.staff_id, wait.day, wait.booked),
        (a.id, haircut.id, None, day, None)
    );
    let again = WaitDraft { client_id: a.id, service_id: haircut.id, staff_id: None, day, around: true };
    assert!(matches!(store.join_wait(&again, now()).await, Err(StoreError::Duplicate(_))), "no stacked waits");
    let later = join(&store, &a, (&haircut, tomorrow, true)).await;
    let unknown =
        WaitDraft { client_id: a.id, service_id: zapys_domain::ServiceId(999), staff_id: None, day, around: false };
    assert!(matches!(store.join_wait(&unknown, now()).await, Err(StoreError::UnknownReference { .. })));

    assert_eq!(store.client_waits(a.id, now()).await.expect("lists"), [wait.clone(), later.clone()]);
    assert_eq!(
        store.client_waits(a.id, now() + 24.hours()).await.expect("lists"),
        std::slice::from_ref(&later),
        "a wait ends with its day"
    );
    assert!(matches!(store.leave_wait(b.id, wait.id).await, Err(StoreError::NotFound { .. })), "not theirs");
    store.leave_wait(a.id, later.id).await.expect("leaves");
    assert!(matches!(store.wait(later.id).await, Err(StoreError::NotFound { .. })));

    // Turned into a booking: it waits no more, but is remembered for the figures.
    let booked = store
        .book(&request(&a, &haircut, slot(&store, hours_from_now(4)).await, Source::Bot), now())
        .await
        .expect("free");
    store.wait_booked(wait.id, booked.appointment.id, now()).await.expect("recorded");
    assert!(matches!(store.wait_booked(wait.id, booked.appointment.id, now()).await, Err(StoreError::Conflict(_))));
    assert!(store.client_waits(a.id, now()).await.expect("lists").is_empty());
    assert_eq!(store.wait(wait.id).await.expect("kept").booked, Some(booked.appointment.id));
    let fresh = join(&store, &b, (&haircut, day, false)).await;

    let listed = store.waits(day, tomorrow).await.expect("lists");
    let names: Vec<_> = listed.iter().map(|v| (v.wait.id, v.client_name.as_deref(), v.service_name.as_str())).collect();
    assert_eq!(names, [(wait.id, Some("Client 1"), "Haircut"), (fresh.id, Some("Client 2"), "Haircut")]);
    assert!(store.waits(tomorrow, tomorrow).await.expect("lists").is_empty());

    let tz = store.settings().timezone.clone();
    let figures = store.analytics(tz.start_of_day(day), tz.start_of_day(tomorrow), &tz).await.expect("figures");
    assert_eq!((figures.waits, figures.waits_booked), (2, 1));
}

pub async fn erasing_a_client_removes_their_waits(store: Shared) {
    let haircut = service(&store, "Haircut", 60).await;
    let (booker, erased) = (client(&store, 1).await, client(&store, 2).await);
    let day = today(&store);
    let wait = join(&store, &erased, (&haircut, day, true)).await;
    store.erase_client(erased.id, Actor::Client, now()).await.expect("erases");
    assert!(matches!(store.wait(wait.id).await, Err(StoreError::NotFound { .. })));
    // Its id is never another client's: an offer still queued for it cannot show someone else's wait.
    let next = join(&store, &booker, (&haircut, day, false)).await;
    assert_ne!(next.id, wait.id, "a forgotten wait's id is not given again");
    store.leave_wait(booker.id, next.id).await.expect("leaves");
    assert!(store.waits(day, day).await.expect("lists").is_empty());
    let booked = store
        .book(&request(&booker, &haircut, slot(&store, hours_from_now(4)).await, Source::Bot), now())
        .await
        .expect("free");
    store
        .transition(booked.appointment.id, &Transition::Cancel { reason: None }, Actor::Client, now())
        .await
        .expect("cancels");
    assert!(offers(&store).await.is_empty());
}

pub async fn an_automatic_cancellation_offers_the_time_too(store: Shared) {
    let mut settings = store.settings();
    settings.auto_cancel_pending_minutes = Some(180);
    store.save_settings(&settings).await.expect("saved");
    let haircut = service(&store, "Haircut", 60).await;
    let (booker, waiting) = (client(&store, 1).await, client(&store, 2).await);
    let wait = join(&store, &waiting, (&haircut, today(&store), false)).await;
    store
        .book(&request(&booker, &haircut, slot(&store, hours_from_now(10)).await, Source::Admin), now())
        .await
        .expect("free");
    store.schedule_due(hours_from_now(7)).await.expect("cancels the unconfirmed booking");
    assert_eq!(offers(&store).await, [(Some(1002), Some(wait.id.to_string()), Some(hours_from_now(10)))]);
}
