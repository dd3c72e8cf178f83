//! The behaviour every [`Store`] backend must show.
//!
//! A backend runs the whole suite with [`conformance_suite!`](crate::conformance_suite):
//! ```ignore
//! zapys_store::conformance_suite!(async { MyStore::open_temporary().await });
//! ```
//! Each check takes a fresh, empty store.

use std::sync::Arc;

use jiff::{Timestamp, ToSpan};
use zapys_domain::client::{ClientDraft, ContactDetails};
use zapys_domain::service::ServiceDraft;
use zapys_domain::{
    Actor, BookingRefusal, Client, Duration, Language, PersonName, PhoneNumber, Service, ServiceName, SlotId, Source,
    StaffId, Status, TelegramId, Transition,
};

use crate::{
    AppointmentQuery, BookAt, BookingRequest, ClientQuery, GeneratedStart, Reschedule, SlotQuery, Store, StoreError,
    Target,
};

type Shared = Arc<dyn Store>;

// --- waitlist ---
mod waitlist;
pub use waitlist::*;
// --- comeback ---
mod comeback;
pub use comeback::*;

/// Runs every conformance check against stores made by `$make` (an async expression).
///
/// A backend that needs a server which may be missing (PostgreSQL) passes
/// `optional $make, "why"` instead: `$make` then answers an `Option`, and with
/// `None` each check prints `skipped: why` and passes, so `cargo test` works
/// on a machine without the server.
#[macro_export]
macro_rules! conformance_suite {
    (optional $make:expr, $skipped:literal) => {
        $crate::conformance_suite!(@all @optional_checks ($make, $skipped));
    };
    ($make:expr) => {
        $crate::conformance_suite!(@all @checks ($make));
    };
    (@all @ $arm:ident $args:tt) => {
        $crate::conformance_suite!(@ $arm $args;
            a_free_time_can_be_booked_and_is_listed,
            new_bookings_start_pending_or_confirmed_as_the_settings_say,
            an_overlapping_booking_is_refused_whatever_its_service,
            cancelling_frees_the_time_and_keeps_the_history,
            moving_a_booking_frees_its_old_time,
            a_move_onto_a_taken_time_is_refused_and_changes_nothing,
            an_admin_can_move_a_booking_to_any_free_instant,
            the_client_limit_and_minimum_notice_hold_for_client_bookings,
            fifty_racing_clients_get_exactly_one_booking,
            racing_overlapping_bookings_never_overlap,
            availability_leaves_out_held_time,
            a_service_with_future_bookings_cannot_be_deleted,
            a_reserved_slot_is_deleted_only_by_force_which_cancels_its_booking,
            duplicate_slots_and_telegram_ids_are_conflicts,
            erasing_a_client_forgets_them_and_cancels_their_future,
            transitions_are_recorded_with_who_and_when,
            clients_are_found_by_part_of_a_name_or_phone,
            lists_filter_and_page,
            settings_survive_a_round_trip,
            the_bot_token_is_kept_apart_from_the_settings_and_forgotten_on_request,
            sessions_expire_and_tokens_are_found_by_hash,
            idle_sessions_end_and_dead_sessions_are_purged,
            unknown_ids_are_named_in_errors,
            conversations_are_kept_per_chat,
            changes_write_their_notices_in_the_same_transaction,
            reminders_fall_due_once_at_their_offsets,
            a_late_booking_gets_no_reminder_and_downtime_sends_only_the_latest,
            notices_leave_in_order_one_chat_at_a_time,
            each_chat_the_business_and_each_webhook_wait_in_their_own_lane,
            webhooks_keep_the_personal_fields_they_opted_into,
            pending_bookings_can_be_cancelled_automatically,
            reminders_keep_exact_offsets_across_a_dst_change,
            analytics_match_a_dataset_computed_by_hand,
            overlap_is_per_staff_member_and_a_long_visit_blocks_only_its_own,
            any_staff_is_the_union_and_assignment_spreads_the_load,
            thirty_clients_racing_for_any_of_three_staff_get_three_bookings,
            twenty_clients_racing_for_one_staff_member_get_one_booking,
            hidden_and_deleted_staff_keep_their_history,
            a_staff_member_who_does_not_perform_the_service_is_refused,
            working_hours_with_breaks_and_exceptions_shape_availability,
            working_hours_follow_the_clock_across_dst,
            a_visit_must_end_by_the_closing_time_it_was_generated_with,
            generating_again_replaces_the_unbooked_generated_times,
            buffers_block_the_staff_member_but_not_the_visit,
            own_price_and_duration_of_a_staff_member_are_used,
            offered_time_is_counted_per_staff_member,
            attempts_are_counted_per_key_until_their_window_ends,
            a_lease_has_one_holder_until_it_lapses_or_is_released,
            // --- moving a booking, the change window ---
            the_change_window_holds_clients_but_not_the_business,
            a_client_move_frees_the_old_time_and_tells_the_business_and_staff,
            // --- a visit's own price ---
            a_visits_price_can_be_adjusted_and_revenue_follows_it,
            a_clients_private_notes_are_kept_and_forgotten_with_them,
            // --- support ---
            a_support_thread_is_kept_queued_both_ways_and_erased_with_its_client,
            an_admin_reply_finds_only_the_relayed_message_it_answers,
            // --- waitlist ---
            a_cancellation_offers_the_time_to_waiting_clients_in_the_order_they_asked,
            a_move_away_offers_the_old_time_and_a_past_time_is_never_offered,
            a_wait_for_one_staff_member_hears_only_of_their_time,
            waits_are_one_per_day_listed_until_their_day_ends_and_left_only_by_their_client,
            erasing_a_client_removes_their_waits,
            an_automatic_cancellation_offers_the_time_too,
            // --- comeback ---
            a_rebook_nudge_falls_due_once_after_the_visit,
            a_nudge_falling_due_at_night_goes_the_next_morning,
            no_nudge_to_a_client_booked_ahead_opted_out_erased_or_blocked,
            ratings_are_asked_once_and_kept_once_per_visit,
        );
    };
    (@checks ($make:expr); $($check:ident),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $check() {
                let store: std::sync::Arc<dyn $crate::Store> = std::sync::Arc::new($make.await);
                $crate::conformance::$check(store).await;
            }
        )*
    };
    (@optional_checks ($make:expr, $skipped:literal); $($check:ident),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $check() {
                let Some(store) = $make.await else {
                    eprintln!(concat!("skipped: ", $skipped));
                    return;
                };
                let store: std::sync::Arc<dyn $crate::Store> = std::sync::Arc::new(store);
                $crate::conformance::$check(store).await;
            }
        )*
    };
}

/// The suite's fixed "now": 2025-06-02 06:00 UTC, a Monday morning in Kyiv.
pub fn now() -> Timestamp {
    Timestamp::from_second(1_748_844_000).expect("valid instant")
}

fn hours_from_now(hours: i64) -> Timestamp {
    now() + hours.hours()
}

async fn service(store: &Shared, name: &str, minutes: i64) -> Service {
    let draft = ServiceDraft {
        name: ServiceName::parse(name).expect("valid name"),
        duration: Duration::from_minutes(minutes).expect("valid duration"),
        price: None,
        description: String::new(),
        hidden: false,
        buffers: zapys_domain::Buffers::NONE,
        rebook_after_days: None,
    };
    store.create_service(&draft).await.expect("service is created")
}

fn draft(name: &str, phone: &str, telegram_id: Option<i64>) -> ClientDraft {
    ClientDraft {
        telegram_id: telegram_id.map(TelegramId),
        contact: ContactDetails {
            name: PersonName::parse(name).expect("valid name"),
            phone: PhoneNumber::parse(phone).expect("valid phone"),
        },
        language: Language::Uk,
    }
}

async fn client(store: &Shared, n: i64) -> Client {
    store
        .create_client(&draft(&format!("Client {n}"), &format!("+38067{:07}", n), Some(1000 + n)))
        .await
        .expect("client is created")
}

/// The staff member every store starts with (a database from before staff gets one too).
async fn sole(store: &Shared) -> StaffId {
    crate::sole_staff_member(&**store).await.expect("one staff member")
}

async fn slot(store: &Shared, at: Timestamp) -> SlotId {
    let staff = sole(store).await;
    store.create_slot(staff, at).await.expect("slot is created").id
}

fn request(client: &Client, service: &Service, slot: SlotId, source: Source) -> BookingRequest {
    BookingRequest {
        client_id: client.id,
        service_id: service.id,
        at: BookAt::Slot(slot),
        staff_id: None,
        source,
        notes: String::new(),
    }
}

fn refusal(result: Result<impl std::fmt::Debug, StoreError>) -> BookingRefusal {
    match result {
        Err(StoreError::Refused(refusal)) => refusal,
        other => panic!("expected a booking refusal, got {other:?}"),
    }
}

pub async fn a_free_time_can_be_booked_and_is_listed(store: Shared) {
    let haircut = service(&store, "Haircut", 60).await;
    let olena = client(&store, 1).await;
    let ten = slot(&store, hours_from_now(4)).await;

    let booked = store.book(&request(&olena, &haircut, ten, Source::Bot), now()).await.expect("free time");
    assert_eq!(booked.appointment.starts_at, hours_from_now(4));
    assert_eq!(booked.appointment.ends_at, hours_from_now(5));
    assert_eq!(booked.service_name, "Haircut");
    assert_eq!(booked.client.as_ref().map(|c| c.name.as_str()), Some("Client 1"));

    let listed = store.appointments(&AppointmentQuery::default()).await.expect("lists");
    assert_eq!(listed.total, 1);
    assert_eq!(listed.items[0].appointment.id, booked.appointment.id);
    assert!(store.slot(ten).await.expect("slot exists").reserved, "the slot shows as reserved");
}

pub async fn new_bookings_start_pending_or_confirmed_as_the_settings_say(store: Shared) {
    let haircut = service(&store, "Haircut", 30).await;
    let olena = client(&store, 1).await;
    let first = slot(&store, hours_from_now(4)).await;
    let booked = store.book(&request(&olena, &haircut, first, Source::Bot), now()).await.expect("free");
    assert_eq!(booked.appointment.status, Status::Pending);

    let mut settings = store.settings();
    settings.auto_confirm = true;
    store.save_settings(&settings).await.expect("saved");
    let second = slot(&store, hours_from_now(6)).await;
    let booked = store.book(&request(&olena, &haircut, second, Source::Bot), now()).await.expect("free");
    assert_eq!(booked.appointment.status, Status::Confirmed);
}

pub async fn an_overlapping_booking_is_refused_whatever_its_service(store: Shared) {
    let long = service(&store, "Colouring", 120).await;
    let short = service(&store, "Trim", 30).await;
    let (a, b) = (client(&store, 1).await, client(&store, 2).await);
    let ten = slot(&store, hours_from_now(4)).await;
    let eleven = slot(&store, hours_from_now(5)).await;
    let twelve = slot(&store, hours_from_now(6)).await;

    store.book(&request(&a, &long, ten, Source::Bot), now()).await.expect("free");
    assert_eq!(refusal(store.book(&request(&b, &short, eleven, Source::Bot), now()).await), BookingRefusal::Taken);
    assert_eq!(refusal(store.book(&request(&b, &short, ten, Source::Admin), now()).await), BookingRefusal::Taken);
    store.book(&request(&b, &short, twelve, Source::Bot), now()).await.expect("12:00 touches but does not overlap");
}

pub async fn cancelling_frees_the_time_and_keeps_the_history(store: Shared) {
    let haircut = service(&store, "Haircut", 60).await;
    let (a, b) = (client(&store, 1).await, client(&store, 2).await);
    let ten = slot(&store, hours_from_now(4)).await;
    let first = store.book(&request(&a, &haircut, ten, Source::Bot), now()).await.expect("free");

    let cancel = Transition::Cancel { reason: Some("ill".into()) };
    let (cancelled, changed) =
        store.transition(first.appointment.id, &cancel, Actor::Client, now()).await.expect("cancels");
    assert!(changed);
    assert_eq!(cancelled.appointment.status, Status::Cancelled);
    let cancellation = cancelled.appointment.cancellation.expect("who and when are kept");
    assert_eq!((cancellation.by, cancellation.at, cancellation.reason.as_deref()), (Actor::Client, now(), Some("ill")));
    assert!(!store.slot(ten).await.expect("exists").reserved);

    store.book(&request(&b, &haircut, ten, Source::Bot), now()).await.expect("the time is free again");
    let all = store.appointments(&AppointmentQuery::default()).await.expect("lists");
    assert_eq!(all.total, 2, "the cancelled booking stays in history");
}

pub async fn moving_a_booking_frees_its_old_time(store: Shared) {
    let haircut = service(&store, "Haircut", 60).await;
    let (a, b) = (client(&store, 1).await, client(&store, 2).await);
    let ten = slot(&store, hours_from_now(4)).await;
    let two = slot(&store, hours_from_now(8)).await;
    let booked = store.book(&request(&a, &haircut, ten, Source::Bot), now()).await.expect("free");

    let change = Reschedule {
        staff_id: None,
        target: Some(Target::Slot(two)),
        service_id: None,
        client_id: None,
        notes: None,
        source: Source::Admin,
        price: None,
    };
    let moved = store.reschedule(booked.appointment.id, &change, now()).await.expect("moves");
    assert_eq!((moved.appointment.slot_id, moved.appointment.starts_at), (Some(two), hours_from_now(8)));
    assert_eq!(moved.appointment.id, booked.appointment.id);
    assert!(!store.slot(ten).await.expect("exists").reserved);
    store.book(&request(&b, &haircut, ten, Source::Bot), now()).await.expect("the old time is free");
}

pub async fn a_move_onto_a_taken_time_is_refused_and_changes_nothing(store: Shared) {
    let haircut = service(&store, "Haircut", 60).await;
    let (a, b) = (client(&store, 1).await, client(&store, 2).await);
    let ten = slot(&store, hours_from_now(4)).await;
    let half_past = slot(&store, hours_from_now(4) + 30.minutes()).await;
    let two = slot(&store, hours_from_now(8)).await;
    store.book(&request(&a, &haircut, ten, Source::Bot), now()).await.expect("free");
    let other = store.book(&request(&b, &haircut, two, Source::Bot), now()).await.expect("free");

    let change = Reschedule {
        staff_id: None,
        target: Some(Target::Slot(half_past)),
        service_id: None,
        client_id: None,
        notes: None,
        source: Source::Admin,
        price: None,
    };
    assert_eq!(refusal(store.reschedule(other.appointment.id, &change, now()).await), BookingRefusal::Taken);
    let unchanged = store.appointment(other.appointment.id).await.expect("exists");
    assert_eq!(unchanged.appointment.starts_at, hours_from_now(8));
}

pub async fn an_admin_can_move_a_booking_to_any_free_instant(store: Shared) {
    let haircut = service(&store, "Haircut", 60).await;
    let a = client(&store, 1).await;
    let ten = slot(&store, hours_from_now(4)).await;
    let booked = store.book(&request(&a, &haircut, ten, Source::Bot), now()).await.expect("free");

    let odd_time = hours_from_now(26) + 15.minutes();
    let change = Reschedule {
        staff_id: None,
        target: Some(Target::At(odd_time)),
        service_id: None,
        client_id: None,
        notes: Some("moved by phone".into()),
        source: Source::Admin,
        price: None,
    };
    let moved = store.reschedule(booked.appointment.id, &change, now()).await.expect("moves");
    assert_eq!(moved.appointment.starts_at, odd_time);
    assert_eq!(moved.appointment.notes, "moved by phone");
    let new_slot = store.slot(moved.appointment.slot_id.expect("has a slot")).await.expect("a slot was made there");
    assert_eq!(new_slot.starts_at, odd_time);
}

pub async fn the_client_limit_and_minimum_notice_hold_for_client_bookings(store: Shared) {
    let mut settings = store.settings();
    settings.max_active_bookings = 2;
    settings.min_notice_minutes = 120;
    store.save_settings(&settings).await.expect("saved");
    let haircut = service(&store, "Haircut", 30).await;
    let a = client(&store, 1).await;
    let soon = slot(&store, hours_from_now(1)).await;
    assert_eq!(
        refusal(store.book(&request(&a, &haircut, soon, Source::Bot), now()).await),
        BookingRefusal::TooSoon { minutes: 120 }
    );

    for hour in [3, 4] {
        let s = slot(&store, hours_from_now(hour)).await;
        store.book(&request(&a, &haircut, s, Source::Bot), now()).await.expect("within the limit");
    }
    let third = slot(&store, hours_from_now(5)).await;
    assert_eq!(
        refusal(store.book(&request(&a, &haircut, third, Source::Api), now()).await),
        BookingRefusal::LimitReached { max: 2 }
    );
    store.book(&request(&a, &haircut, third, Source::Admin), now()).await.expect("an admin may go beyond it");
    store.book(&request(&a, &haircut, soon, Source::Admin), now()).await.expect("and book at short notice");
}

pub async fn fifty_racing_clients_get_exactly_one_booking(store: Shared) {
    let haircut = service(&store, "Haircut", 60).await;
    let ten = slot(&store, hours_from_now(4)).await;
    let mut clients = Vec::new();
    for n in 0..50 {
        clients.push(client(&store, n).await);
    }
    let attempts = clients.into_iter().map(|c| {
        let (store, request) = (store.clone(), request(&c, &haircut, ten, Source::Bot));
        tokio::spawn(async move { store.book(&request, now()).await })
    });
    let mut won = 0;
    for attempt in attempts.collect::<Vec<_>>() {
        match attempt.await.expect("task does not panic") {
            Ok(_) => won += 1,
            Err(StoreError::Refused(BookingRefusal::Taken)) => {}
            Err(other) => panic!("a loser must be told the time is taken, got {other:?}"),
        }
    }
    assert_eq!(won, 1);
    assert_eq!(store.appointments(&AppointmentQuery::default()).await.expect("lists").total, 1);
}

pub async fn racing_overlapping_bookings_never_overlap(store: Shared) {
    let colouring = service(&store, "Colouring", 120).await;
    let mut slots = Vec::new();
    for quarter in 0..8 {
        slots.push(slot(&store, hours_from_now(4) + (quarter * 15).minutes()).await);
    }
    let mut attempts = Vec::new();
    for n in 0..48 {
        let c = client(&store, n).await;
        let (store, request) = (
            store.clone(),
            request(&c, &colouring, slots[usize::try_from(n).expect("small") % slots.len()], Source::Bot),
        );
        attempts.push(tokio::spawn(async move { store.book(&request, now()).await }));
    }
    for attempt in attempts {
        match attempt.await.expect("no panic") {
            Ok(_) | Err(StoreError::Refused(BookingRefusal::Taken)) => {}
            Err(other) => panic!("unexpected {other:?}"),
        }
    }
    let booked = store.appointments(&AppointmentQuery::default()).await.expect("lists").items;
    assert_eq!(booked.len(), 1, "all eight starts lie within two hours of each other");
}

pub async fn availability_leaves_out_held_time(store: Shared) {
    let haircut = service(&store, "Haircut", 90).await;
    let a = client(&store, 1).await;
    let mut slots = Vec::new();
    for hour in 4..8 {
        slots.push(slot(&store, hours_from_now(hour)).await);
    }
    store.book(&request(&a, &haircut, slots[1], Source::Bot), now()).await.expect("free");
    let windows = store.availability(now(), hours_from_now(24)).await.expect("reads");
    assert_eq!(windows.len(), 1, "one staff member");
    let window = &windows[0];
    assert_eq!(window.slots.iter().map(|s| s.id).collect::<Vec<_>>(), slots);
    assert_eq!(window.busy.len(), 1);
    assert_eq!(window.open, None, "no hours set: the slots decide");
    let free = store.bookable(&haircut, None, now(), hours_from_now(24)).await.expect("reads");
    assert_eq!(
        free.iter().map(|t| t.slot_id).collect::<Vec<_>>(),
        vec![slots[3]],
        "4:00 and 6:00 would run into 5:00–6:30"
    );
}

pub async fn a_service_with_future_bookings_cannot_be_deleted(store: Shared) {
    let haircut = service(&store, "Haircut", 60).await;
    let a = client(&store, 1).await;
    let ten = slot(&store, hours_from_now(4)).await;
    let booked = store.book(&request(&a, &haircut, ten, Source::Bot), now()).await.expect("free");
    assert!(matches!(store.delete_service(haircut.id, now()).await, Err(StoreError::InUse(_))));

    store
        .transition(booked.appointment.id, &Transition::Cancel { reason: None }, Actor::Admin, now())
        .await
        .expect("cancels");
    store.delete_service(haircut.id, now()).await.expect("nothing ahead any more");
    assert!(matches!(store.service(haircut.id).await, Err(StoreError::NotFound { .. })));
    let history = store.appointment(booked.appointment.id).await.expect("history stays");
    assert_eq!(history.service_name, "Haircut");
}

pub async fn a_reserved_slot_is_deleted_only_by_force_which_cancels_its_booking(store: Shared) {
    let haircut = service(&store, "Haircut", 60).await;
    let a = client(&store, 1).await;
    let ten = slot(&store, hours_from_now(4)).await;
    let booked = store.book(&request(&a, &haircut, ten, Source::Bot), now()).await.expect("free");
    assert!(matches!(store.delete_slot(ten, false, now()).await, Err(StoreError::InUse(_))));
    assert!(matches!(store.move_slot(ten, hours_from_now(9)).await, Err(StoreError::InUse(_))));

    let cancelled = store.delete_slot(ten, true, now()).await.expect("forced");
    assert_eq!(cancelled, vec![booked.appointment.id]);
    let after = store.appointment(booked.appointment.id).await.expect("history stays");
    assert_eq!(after.appointment.status, Status::Cancelled);
    assert!(matches!(store.slot(ten).await, Err(StoreError::NotFound { .. })));
}

pub async fn duplicate_slots_and_telegram_ids_are_conflicts(store: Shared) {
    slot(&store, hours_from_now(4)).await;
    let staff = sole(&store).await;
    assert!(matches!(store.create_slot(staff, hours_from_now(4)).await, Err(StoreError::Duplicate(_))));
    let starts: Vec<_> =
        [4, 5, 6].map(|h| GeneratedStart { at: hours_from_now(h), ends_by: hours_from_now(10) }).to_vec();
    let generated = store.generate_slots(staff, &starts, None).await.expect("adds");
    assert_eq!(generated.added, 2, "the existing one is skipped");

    client(&store, 1).await;
    let again = store.create_client(&draft("Someone Else", "+380501112233", Some(1001))).await;
    assert!(matches!(again, Err(StoreError::Duplicate(_))), "{again:?}");
}

pub async fn erasing_a_client_forgets_them_and_cancels_their_future(store: Shared) {
    let haircut = service(&store, "Haircut", 60).await;
    let a = client(&store, 1).await;
    let ten = slot(&store, hours_from_now(4)).await;
    let booked = store.book(&request(&a, &haircut, ten, Source::Bot), now()).await.expect("free");
    store.save_conversation(1001, r#"{"step":"ready"}"#, now()).await.expect("saves");
    store.save_conversation(1002, r#"{"step":"ready"}"#, now()).await.expect("saves");

    store.erase_client(a.id, Actor::Client, now()).await.expect("erases");
    assert_eq!(store.conversation(1001).await.expect("reads"), None, "their conversation is gone with them");
    assert!(store.conversation(1002).await.expect("reads").is_some(), "other chats keep theirs");
    let forgotten = store.client(a.id).await.expect("the record stays, anonymised");
    assert_eq!((forgotten.contact, forgotten.telegram_id), (None, None));
    assert!(store.client_by_telegram(TelegramId(1001)).await.expect("reads").is_none());
    let history = store.appointment(booked.appointment.id).await.expect("history stays");
    assert_eq!(history.appointment.status, Status::Cancelled);
    assert_eq!(history.client, None);
}

pub async fn transitions_are_recorded_with_who_and_when(store: Shared) {
    let haircut = service(&store, "Haircut", 60).await;
    let a = client(&store, 1).await;
    let ten = slot(&store, hours_from_now(4)).await;
    let id = store.book(&request(&a, &haircut, ten, Source::Bot), now()).await.expect("free").appointment.id;

    let (_, changed) = store.transition(id, &Transition::Confirm, Actor::Admin, now()).await.expect("confirms");
    assert!(changed);
    let (_, changed) = store.transition(id, &Transition::Confirm, Actor::Client, now()).await.expect("again");
    assert!(!changed, "a repeated confirm is a no-op");
    let early = store.transition(id, &Transition::Complete, Actor::Admin, now()).await;
    assert!(matches!(early, Err(StoreError::Transition(_))), "{early:?}");
    let later = hours_from_now(5);
    store.transition(id, &Transition::Complete, Actor::Admin, later).await.expect("after the visit");

    let events = store.appointment_events(id).await.expect("reads");
    let kinds: Vec<(&str, Actor)> = events.iter().map(|e| (e.kind.as_str(), e.actor)).collect();
    assert_eq!(kinds, [("booked", Actor::Client), ("confirmed", Actor::Admin), ("completed", Actor::Admin)]);
    assert_eq!(events[2].at, later);
}

pub async fn clients_are_found_by_part_of_a_name_or_phone(store: Shared) {
    store.create_client(&draft("Олена Коваль", "+380671112233", None)).await.expect("created");
    store.create_client(&draft("Petro Shevchenko", "+380509998877", Some(42))).await.expect("created");
    let find = |text: &str| {
        let store = store.clone();
        let query = ClientQuery { search: Some(text.into()), ..Default::default() };
        async move { store.clients(&query).await.expect("searches").items.into_iter().map(|c| c.id).collect::<Vec<_>>() }
    };
    assert_eq!(find("олена").await.len(), 1, "case-insensitive, Cyrillic too");
    assert_eq!(find("9998").await.len(), 1);
    assert_eq!(find("+380").await.len(), 2);
    assert!(find("nobody").await.is_empty());
    let found = store.client_by_telegram(TelegramId(42)).await.expect("reads").expect("found");
    assert_eq!(found.contact.map(|c| c.phone.as_str().to_owned()).as_deref(), Some("+380509998877"));
}

pub async fn lists_filter_and_page(store: Shared) {
    let haircut = service(&store, "Haircut", 30).await;
    let nails = service(&store, "Nails", 30).await;
    let a = client(&store, 1).await;
    let mut ids = Vec::new();
    for hour in 1..=6 {
        let s = slot(&store, hours_from_now(hour * 2)).await;
        let svc = if hour % 2 == 0 { &nails } else { &haircut };
        ids.push(store.book(&request(&a, svc, s, Source::Admin), now()).await.expect("free").appointment.id);
    }
    let by_service = AppointmentQuery { service_id: Some(nails.id), ..Default::default() };
    assert_eq!(store.appointments(&by_service).await.expect("lists").total, 3);
    let window = AppointmentQuery { from: Some(hours_from_now(4)), to: Some(hours_from_now(8)), ..Default::default() };
    assert_eq!(store.appointments(&window).await.expect("lists").total, 2, "04:00 and 06:00; 08:00 is excluded");
    let page = AppointmentQuery {
        newest_first: true,
        paging: crate::Paging { limit: Some(2), offset: 1 },
        ..Default::default()
    };
    let page = store.appointments(&page).await.expect("lists");
    assert_eq!(page.total, 6);
    assert_eq!(page.items.iter().map(|v| v.appointment.id).collect::<Vec<_>>(), vec![ids[4], ids[3]]);
    let slots = store
        .slots(&SlotQuery { paging: crate::Paging { limit: Some(4), offset: 0 }, ..Default::default() })
        .await
        .expect("lists");
    assert_eq!((slots.total, slots.items.len()), (6, 4));
    assert!(slots.items.windows(2).all(|w| w[0].starts_at < w[1].starts_at), "oldest first unless asked");
}

pub async fn settings_survive_a_round_trip(store: Shared) {
    let mut settings = store.settings();
    settings.business_name = "Салон «Весна»".into();
    settings.reminder_offsets_minutes = vec![2880, 60];
    settings.timezone = zapys_domain::BusinessTime::parse("Europe/Warsaw").expect("known");
    settings.change_window_hours = 48;
    store.save_settings(&settings).await.expect("saves");
    assert_eq!(store.settings(), settings);
}

pub async fn the_bot_token_is_kept_apart_from_the_settings_and_forgotten_on_request(store: Shared) {
    assert_eq!(store.telegram_token().await.expect("reads"), None, "a new business has none");
    let mut changes = store.changes().subscribe();
    store.set_telegram_token(Some("123456:AAE-token_value")).await.expect("saves");
    assert_eq!(store.telegram_token().await.expect("reads").as_deref(), Some("123456:AAE-token_value"));
    let change = changes.recv().await.expect("announced");
    assert_eq!(change.entity, crate::Entity::Settings, "other instances follow a settings change");

    // Saving the other settings leaves the token alone.
    let mut settings = store.settings();
    settings.business_name = "Інша назва".into();
    store.save_settings(&settings).await.expect("saves");
    assert_eq!(store.telegram_token().await.expect("reads").as_deref(), Some("123456:AAE-token_value"));

    store.set_telegram_token(None).await.expect("forgets");
    assert_eq!(store.telegram_token().await.expect("reads"), None);
}

pub async fn sessions_expire_and_tokens_are_found_by_hash(store: Shared) {
    let admin = store.create_admin("owner", "$argon2id$fake").await.expect("created");
    assert!(matches!(store.create_admin("owner", "x").await, Err(StoreError::Duplicate(_))));
    let idle = jiff::SignedDuration::from_mins(30);
    store.create_session(b"session-hash", admin.id, now(), hours_from_now(1)).await.expect("created");
    assert_eq!(
        store.session_admin(b"session-hash", now(), idle).await.expect("reads").map(|a| a.username),
        Some("owner".into())
    );
    assert!(store.session_admin(b"session-hash", hours_from_now(2), idle).await.expect("reads").is_none(), "expired");
    assert!(store.session_admin(b"other", now(), idle).await.expect("reads").is_none());
    store.delete_session(b"session-hash").await.expect("deleted");
    assert!(store.session_admin(b"session-hash", now(), idle).await.expect("reads").is_none());

    let token = store.create_api_token("crm", crate::TokenScope::Book, b"token-hash", now()).await.expect("created");
    let found = store.api_token(b"token-hash", hours_from_now(1)).await.expect("reads").expect("found");
    assert_eq!((found.id, found.scope), (token.id, crate::TokenScope::Book), "the scope is kept");
    assert_eq!(store.api_tokens().await.expect("lists")[0].last_used_at, Some(hours_from_now(1)));
    store.delete_api_token(token.id).await.expect("revoked");
    assert!(store.api_token(b"token-hash", now()).await.expect("reads").is_none());
}

pub async fn attempts_are_counted_per_key_until_their_window_ends(store: Shared) {
    use crate::{Admission, AttemptLimit};
    let window = jiff::SignedDuration::from_mins(15);
    let pair = AttemptLimit { key: "pair:10.0.0.1:owner", limit: 2, window };
    let address = AttemptLimit { key: "address:10.0.0.1", limit: 3, window };
    let minutes = |m: i64| now() + jiff::SignedDuration::from_mins(m);
    for _ in 0..2 {
        assert_eq!(store.count_attempt(&[pair, address], now()).await.expect("counts"), Admission::Counted);
    }
    assert_eq!(
        store.count_attempt(&[pair, address], minutes(5)).await.expect("counts"),
        Admission::Refused { retry_after_seconds: 10 * 60 },
        "the pair's window started with its first attempt"
    );
    let other = AttemptLimit { key: "pair:10.0.0.1:other", limit: 2, window };
    assert_eq!(store.count_attempt(&[other, address], minutes(5)).await.expect("counts"), Admission::Counted);
    assert_eq!(
        store.count_attempt(&[other, address], minutes(6)).await.expect("counts"),
        Admission::Refused { retry_after_seconds: 9 * 60 },
        "the refused attempt above counted nowhere: the address is at 3 of 3"
    );
    store.forgive_attempt(&[pair.key], &[address.key]).await.expect("forgiven");
    assert_eq!(store.count_attempt(&[pair, address], minutes(7)).await.expect("counts"), Admission::Counted);
    assert_eq!(
        store.count_attempt(&[other, address], minutes(15)).await.expect("counts"),
        Admission::Counted,
        "a new window starts once the old one is over"
    );
}

pub async fn a_lease_has_one_holder_until_it_lapses_or_is_released(store: Shared) {
    let secs = |s: i64| now() + jiff::SignedDuration::from_secs(s);
    assert!(store.take_lease("deliver", "a", now(), secs(30)).await.expect("takes"));
    assert!(!store.take_lease("deliver", "b", secs(10), secs(40)).await.expect("asks"), "a holds it");
    assert!(store.take_lease("poll", "b", secs(10), secs(40)).await.expect("takes"), "leases are per name");
    assert!(store.take_lease("deliver", "a", secs(20), secs(50)).await.expect("renews"), "the holder renews");
    assert!(!store.take_lease("deliver", "b", secs(45), secs(75)).await.expect("asks"), "renewed past 45 s");
    assert!(store.take_lease("deliver", "b", secs(50), secs(80)).await.expect("takes"), "lapsed: taken over");
    assert!(!store.take_lease("deliver", "a", secs(55), secs(85)).await.expect("asks"), "the old holder lost it");
    store.release_lease("deliver", "a").await.expect("a release by a non-holder is a no-op");
    assert!(!store.take_lease("deliver", "c", secs(56), secs(86)).await.expect("asks"), "b still holds it");
    store.release_lease("deliver", "b").await.expect("released");
    assert!(store.take_lease("deliver", "c", secs(57), secs(87)).await.expect("takes"), "released: free at once");
}

pub async fn idle_sessions_end_and_dead_sessions_are_purged(store: Shared) {
    let admin = store.create_admin("owner", "$argon2id$fake").await.expect("created");
    let idle = jiff::SignedDuration::from_mins(30);
    let minutes = |m: i64| now() + jiff::SignedDuration::from_mins(m);
    store.create_session(b"busy", admin.id, now(), hours_from_now(24)).await.expect("created");
    store.create_session(b"idle", admin.id, now(), hours_from_now(24)).await.expect("created");
    store.create_session(b"short", admin.id, now(), minutes(10)).await.expect("created");
    for m in [20, 40, 60] {
        assert!(store.session_admin(b"busy", minutes(m), idle).await.expect("reads").is_some(), "used every 20 min");
    }
    assert!(store.session_admin(b"idle", minutes(60), idle).await.expect("reads").is_none(), "idle for an hour");
    assert_eq!(store.purge_sessions(minutes(60), idle).await.expect("purges"), 2, "the idle and the expired one");
    assert!(store.session_admin(b"busy", minutes(61), idle).await.expect("reads").is_some(), "the busy one stays");
}

pub async fn unknown_ids_are_named_in_errors(store: Shared) {
    let haircut = service(&store, "Haircut", 60).await;
    let a = client(&store, 1).await;
    assert!(matches!(store.service(zapys_domain::ServiceId(999)).await, Err(StoreError::NotFound { .. })));
    let missing_slot = store.book(&request(&a, &haircut, SlotId(999), Source::Bot), now()).await;
    assert!(
        matches!(missing_slot, Err(StoreError::UnknownReference { entity: crate::Entity::Slot, id: 999 })),
        "{missing_slot:?}"
    );
    let ten = slot(&store, hours_from_now(4)).await;
    let mut bad = request(&a, &haircut, ten, Source::Bot);
    bad.client_id = zapys_domain::ClientId(999);
    assert!(matches!(
        store.book(&bad, now()).await,
        Err(StoreError::UnknownReference { entity: crate::Entity::Client, .. })
    ));
}

pub async fn conversations_are_kept_per_chat(store: Shared) {
    assert_eq!(store.conversation(7).await.expect("reads"), None);
    store.save_conversation(7, r#"{"step":"ask_name"}"#, now()).await.expect("saves");
    store.save_conversation(8, r#"{"step":"ready"}"#, now()).await.expect("saves");
    store.save_conversation(7, r#"{"step":"ready"}"#, now()).await.expect("overwrites");
    assert_eq!(store.conversation(7).await.expect("reads").as_deref(), Some(r#"{"step":"ready"}"#));
}

fn kinds(items: &[crate::OutboxItem]) -> Vec<(&'static str, Option<i64>)> {
    items.iter().map(|i| (i.notice.name(), i.chat_id)).collect()
}

async fn all_notices(store: &Shared) -> Vec<crate::OutboxItem> {
    let mut items = store.notices(&crate::NoticeQuery::default()).await.expect("lists").items;
    items.reverse();
    items
}

pub async fn changes_write_their_notices_in_the_same_transaction(store: Shared) {
    let haircut = service(&store, "Haircut", 60).await;
    let a = client(&store, 1).await;
    let first = slot(&store, hours_from_now(4)).await;
    let second = slot(&store, hours_from_now(8)).await;
    let booked = store.book(&request(&a, &haircut, first, Source::Bot), now()).await.expect("free").appointment.id;
    store.transition(booked, &Transition::Confirm, Actor::Admin, now()).await.expect("confirms");
    let change = Reschedule {
        staff_id: None,
        target: Some(Target::Slot(second)),
        service_id: None,
        client_id: None,
        notes: None,
        source: Source::Admin,
        price: None,
    };
    store.reschedule(booked, &change, now()).await.expect("moves");
    store
        .transition(booked, &Transition::Cancel { reason: Some("ill".into()) }, Actor::Admin, now())
        .await
        .expect("cancels");
    let other = store.book(&request(&a, &haircut, first, Source::Bot), now()).await.expect("free").appointment.id;
    store.transition(other, &Transition::Cancel { reason: None }, Actor::Client, now()).await.expect("cancels");

    let items = all_notices(&store).await;
    assert_eq!(
        kinds(&items),
        [
            ("new_booking", None),
            ("confirmed", Some(1001)),
            ("moved", Some(1001)),
            ("cancelled", Some(1001)),
            ("new_booking", None),
            ("client_cancelled", None)
        ]
    );
    assert_eq!(items[3].detail.as_deref(), Some("ill"), "the reason travels with the notice");
    assert_eq!(items[2].detail, Some(hours_from_now(4).to_string()), "a move remembers where it was");
    assert_eq!(
        (items[1].starts_at, items[2].starts_at),
        (Some(hours_from_now(4)), Some(hours_from_now(8))),
        "each speaks of its time"
    );
    assert!(items.iter().all(|i| i.state == crate::NoticeState::Pending));
}

pub async fn reminders_fall_due_once_at_their_offsets(store: Shared) {
    let haircut = service(&store, "Haircut", 60).await;
    let a = client(&store, 1).await;
    let start = hours_from_now(48);
    let at = slot(&store, start).await;
    let id = store.book(&request(&a, &haircut, at, Source::Admin), now()).await.expect("free").appointment.id;
    assert_eq!(store.schedule_due(now()).await.expect("schedules"), 0);
    assert_eq!(
        store.next_due(now()).await.expect("reads"),
        Some(start - 24.hours()),
        "the scheduler knows when to wake"
    );

    let day_before = start - 24.hours();
    assert_eq!(store.schedule_due(day_before - 1.second()).await.expect("schedules"), 0, "not a second early");
    assert_eq!(store.schedule_due(day_before).await.expect("schedules"), 1, "exactly at the offset");
    assert_eq!(store.schedule_due(day_before + 1.hour()).await.expect("schedules"), 0, "once");
    assert_eq!(store.next_due(day_before).await.expect("reads"), Some(start - 2.hours()));
    assert_eq!(store.schedule_due(start - 2.hours()).await.expect("schedules"), 1);
    assert_eq!(store.schedule_due(start + 1.hour()).await.expect("schedules"), 0, "none once it has begun");

    let reminders = all_notices(&store).await;
    assert_eq!(kinds(&reminders), [("reminder", Some(1001)), ("reminder", Some(1001))]);
    assert_eq!(reminders[0].appointment_id, Some(id));
    assert_eq!(reminders[0].starts_at, Some(start), "a reminder names the start it is about");

    let cancelled_at = slot(&store, hours_from_now(72)).await;
    let cancelled =
        store.book(&request(&a, &haircut, cancelled_at, Source::Admin), now()).await.expect("free").appointment.id;
    store.transition(cancelled, &Transition::Cancel { reason: None }, Actor::Client, now()).await.expect("cancels");
    assert_eq!(store.schedule_due(hours_from_now(71)).await.expect("schedules"), 0, "a cancelled booking gets none");
}

pub async fn a_late_booking_gets_no_reminder_and_downtime_sends_only_the_latest(store: Shared) {
    let haircut = service(&store, "Haircut", 60).await;
    let a = client(&store, 1).await;
    let soon = slot(&store, hours_from_now(1)).await;
    store.book(&request(&a, &haircut, soon, Source::Admin), now()).await.expect("free");
    assert_eq!(
        store.schedule_due(now() + 30.minutes()).await.expect("schedules"),
        0,
        "booked an hour ahead: no 24 h or 2 h reminder"
    );

    let later = slot(&store, hours_from_now(48)).await;
    store.book(&request(&a, &haircut, later, Source::Admin), now()).await.expect("free");
    // Down from well before the 24 h reminder until an hour before the visit.
    assert_eq!(store.schedule_due(hours_from_now(47)).await.expect("schedules"), 1, "one reminder, not two");
    assert_eq!(store.schedule_due(hours_from_now(47) + 1.minute()).await.expect("schedules"), 0);

    // Moving a booking gives its new time its own reminders.
    let moved_to = slot(&store, hours_from_now(96)).await;
    let id = store
        .appointments(&AppointmentQuery { from: Some(hours_from_now(40)), ..Default::default() })
        .await
        .expect("lists")
        .items[0]
        .appointment
        .id;
    let change = Reschedule {
        staff_id: None,
        target: Some(Target::Slot(moved_to)),
        service_id: None,
        client_id: None,
        notes: None,
        source: Source::Admin,
        price: None,
    };
    store.reschedule(id, &change, hours_from_now(47)).await.expect("moves");
    assert_eq!(store.schedule_due(hours_from_now(72)).await.expect("schedules"), 1, "the new time's 24 h reminder");
}

pub async fn notices_leave_in_order_one_chat_at_a_time(store: Shared) {
    let haircut = service(&store, "Haircut", 30).await;
    let (a, b) = (client(&store, 1).await, client(&store, 2).await);
    let mut ids = Vec::new();
    for (hour, who) in [(4, &a), (5, &b), (6, &a)] {
        let s = slot(&store, hours_from_now(hour)).await;
        let id = store.book(&request(who, &haircut, s, Source::Admin), now()).await.expect("free").appointment.id;
        store.transition(id, &Transition::Confirm, Actor::Admin, now()).await.expect("confirms");
        ids.push(id);
    }
    let due = store.due_notices(now(), 10).await.expect("reads");
    assert_eq!(
        due.iter().map(|n| n.appointment_id).collect::<Vec<_>>(),
        vec![Some(ids[0]), Some(ids[1])],
        "a's second waits for a's first"
    );
    store.notice_attempt_failed(due[0].id, "502 Bad Gateway").await.expect("records");
    assert_eq!(store.due_notices(now(), 10).await.expect("reads").len(), 2, "a failed attempt keeps its place in line");
    store.finish_notice(due[0].id, crate::NoticeOutcome::Sent, now()).await.expect("finishes");
    store.finish_notice(due[1].id, crate::NoticeOutcome::Failed("blocked".into()), now()).await.expect("finishes");
    assert!(
        matches!(store.finish_notice(due[0].id, crate::NoticeOutcome::Sent, now()).await, Err(StoreError::Conflict(_))),
        "never twice"
    );
    let next = store.due_notices(now(), 10).await.expect("reads");
    assert_eq!(next.iter().map(|n| n.appointment_id).collect::<Vec<_>>(), vec![Some(ids[2])]);

    let failed = store
        .notices(&crate::NoticeQuery { state: Some(crate::NoticeState::Failed), ..Default::default() })
        .await
        .expect("lists");
    assert_eq!((failed.total, failed.items[0].last_error.as_deref()), (1, Some("blocked")));
    store.retry_notice(due[1].id).await.expect("back in line");
    assert_eq!(store.due_notices(now(), 10).await.expect("reads").len(), 2);
}

pub async fn each_chat_the_business_and_each_webhook_wait_in_their_own_lane(store: Shared) {
    use crate::Lane;
    let all: Vec<String> = zapys_domain::notice::WEBHOOK_EVENTS.map(str::to_owned).to_vec();
    let dead = store.create_webhook("https://dead.example/hook", "s1", &all, &[], now()).await.expect("created");
    let alive = store.create_webhook("https://alive.example/hook", "s2", &all, &[], now()).await.expect("created");
    let haircut = service(&store, "Haircut", 30).await;
    let a = client(&store, 1).await;
    let s = slot(&store, hours_from_now(4)).await;
    let booked = store.book(&request(&a, &haircut, s, Source::Bot), now()).await.expect("free").appointment.id;
    store.transition(booked, &Transition::Confirm, Actor::Admin, now()).await.expect("confirms");

    let lanes = |items: &[crate::OutboxItem]| items.iter().map(crate::OutboxItem::lane).collect::<Vec<_>>();
    let due = store.due_notices(now(), 10).await.expect("reads");
    assert_eq!(
        lanes(&due),
        [Lane::Business, Lane::Webhook(dead.id), Lane::Webhook(alive.id), Lane::Chat(1001)],
        "the head of every lane is due at once: {:?}",
        kinds(&due)
    );
    let head = |lane: Lane, items: &[crate::OutboxItem]| items.iter().find(|i| i.lane() == lane).expect("due").id;
    store.notice_attempt_failed(head(Lane::Webhook(dead.id), &due), "timed out").await.expect("records");
    store.finish_notice(head(Lane::Webhook(alive.id), &due), crate::NoticeOutcome::Sent, now()).await.expect("done");

    let next = store.due_notices(now(), 10).await.expect("reads");
    assert_eq!(
        lanes(&next),
        [Lane::Business, Lane::Webhook(dead.id), Lane::Chat(1001), Lane::Webhook(alive.id)],
        "a stuck receiver holds back only its own lane"
    );
    assert_eq!(
        next.iter().filter(|i| i.lane() == Lane::Webhook(alive.id)).map(|i| i.detail.as_deref()).collect::<Vec<_>>(),
        [Some("booking.confirmed")],
        "in order within the lane"
    );

    store.delete_webhook(dead.id).await.expect("deleted");
    let orphans = store.due_notices(now(), 10).await.expect("reads");
    assert_eq!(
        orphans.iter().filter(|i| matches!(i.lane(), Lane::Orphan(_))).count(),
        2,
        "a deleted webhook's deliveries no longer wait for each other (they are skipped)"
    );
}

pub async fn webhooks_keep_the_personal_fields_they_opted_into(store: Shared) {
    let events = vec!["booking.created".to_owned()];
    let named = vec!["client_name".to_owned()];
    let plain = store.create_webhook("https://a.example/", "s1", &events, &[], now()).await.expect("created");
    let opted = store.create_webhook("https://b.example/", "s2", &events, &named, now()).await.expect("created");
    let target = store.webhook_target(opted.id).await.expect("reads").expect("exists");
    assert_eq!((target.url.as_str(), target.secret.as_str()), ("https://b.example/", "s2"));
    assert_eq!(target.personal_fields, named);
    let listed = store.webhooks().await.expect("lists");
    assert_eq!(
        listed.iter().map(|w| (w.id, w.personal_fields.clone())).collect::<Vec<_>>(),
        [(plain.id, vec![]), (opted.id, named.clone())]
    );
}

pub async fn pending_bookings_can_be_cancelled_automatically(store: Shared) {
    let mut settings = store.settings();
    settings.auto_cancel_pending_minutes = Some(180);
    store.save_settings(&settings).await.expect("saved");
    let haircut = service(&store, "Haircut", 60).await;
    let a = client(&store, 1).await;
    let pending = store
        .book(&request(&a, &haircut, slot(&store, hours_from_now(10)).await, Source::Admin), now())
        .await
        .expect("free")
        .appointment
        .id;
    let confirmed = store
        .book(&request(&a, &haircut, slot(&store, hours_from_now(11)).await, Source::Admin), now())
        .await
        .expect("free")
        .appointment
        .id;
    store.transition(confirmed, &Transition::Confirm, Actor::Admin, now()).await.expect("confirms");
    assert_eq!(store.next_due(now()).await.expect("reads"), Some(hours_from_now(7)));
    store.schedule_due(hours_from_now(7)).await.expect("schedules");
    let after = store.appointment(pending).await.expect("exists");
    assert_eq!(after.appointment.status, Status::Cancelled);
    assert_eq!(after.appointment.cancellation.map(|c| c.by), Some(Actor::System));
    assert_eq!(store.appointment(confirmed).await.expect("exists").appointment.status, Status::Confirmed);
    assert!(
        all_notices(&store)
            .await
            .iter()
            .any(|n| n.notice == zapys_domain::Notice::Cancelled && n.appointment_id == Some(pending)),
        "the client is told"
    );
}

pub async fn reminders_keep_exact_offsets_across_a_dst_change(store: Shared) {
    // Kyiv moves its clocks from 03:00 to 04:00 on Sunday 2026-03-29; the visit is Monday 10:00 (07:00 UTC).
    let haircut = service(&store, "Haircut", 60).await;
    let a = client(&store, 1).await;
    let start: Timestamp = "2026-03-30T07:00:00Z".parse().expect("valid");
    let at = slot(&store, start).await;
    let booked_at: Timestamp = "2026-03-20T07:00:00Z".parse().expect("valid");
    store.book(&request(&a, &haircut, at, Source::Admin), booked_at).await.expect("free");
    let day_before: Timestamp = "2026-03-29T07:00:00Z".parse().expect("valid");
    assert_eq!(
        store.next_due(booked_at).await.expect("reads"),
        Some(day_before),
        "24 real hours before, through the change"
    );
    assert_eq!(store.schedule_due(day_before - 1.second()).await.expect("schedules"), 0);
    assert_eq!(store.schedule_due(day_before).await.expect("schedules"), 1);
    let two_hours: Timestamp = "2026-03-30T05:00:00Z".parse().expect("valid");
    assert_eq!(store.schedule_due(two_hours - 1.second()).await.expect("schedules"), 0);
    assert_eq!(store.schedule_due(two_hours).await.expect("schedules"), 1);
}

pub async fn analytics_match_a_dataset_computed_by_hand(store: Shared) {
    use zapys_domain::{BusinessTime, Price};
    let tz = BusinessTime::parse("Europe/Kyiv").expect("known");
    // Kyiv is UTC+3 in June. now() is Monday 2025-06-02 09:00 local.
    let local =
        |day: i8, hour: i8| tz.resolve(jiff::civil::date(2025, 6, day).at(hour, 0, 0, 0)).expect("exists").instant;
    let priced = store
        .create_service(&ServiceDraft {
            name: ServiceName::parse("A").expect("valid"),
            duration: Duration::from_minutes(60).expect("valid"),
            price: Some(Price::from_units(500.0).expect("valid")),
            description: String::new(),
            hidden: false,
            buffers: zapys_domain::Buffers::NONE,
            rebook_after_days: None,
        })
        .await
        .expect("created");
    let half_hour = service(&store, "B", 30).await;
    let (c1, c2, c3) = (client(&store, 1).await, client(&store, 2).await, client(&store, 3).await);

    // c3 came once before the period, so c3 returns; c1 and c2 are new.
    let past_visit =
        slot(&store, tz.resolve(jiff::civil::date(2025, 5, 26).at(10, 0, 0, 0)).expect("exists").instant).await;
    let back_then: Timestamp = "2025-05-20T06:00:00Z".parse().expect("valid");
    store.book(&request(&c3, &priced, past_visit, Source::Admin), back_then).await.expect("free");

    let book = |who: &Client, what: &Service, at: Timestamp, source: Source| {
        let (store, who, what) = (store.clone(), who.clone(), what.clone());
        async move {
            let s = slot(&store, at).await;
            store.book(&request(&who, &what, s, source), now()).await.expect("free").appointment.id
        }
    };
    let mon10 = book(&c1, &priced, local(2, 10), Source::Admin).await; // 1 h ahead, completed
    book(&c2, &half_hour, local(2, 11), Source::Admin).await; // 2 h ahead, pending
    let tue10 = book(&c3, &priced, local(3, 10), Source::Admin).await; // 25 h ahead, confirmed
    let wed14 = book(&c1, &priced, local(4, 14), Source::Admin).await; // 53 h, cancelled by the client
    let wed15 = book(&c2, &half_hour, local(4, 15), Source::Admin).await; // 54 h, cancelled by the admin
    let thu09 = book(&c2, &priced, local(5, 9), Source::Bot).await; // 72 h, confirmed
    for free in [local(3, 11), local(3, 12)] {
        slot(&store, free).await;
    }
    let after_the_visit: Timestamp = "2025-06-02T08:00:00Z".parse().expect("valid");
    store.transition(mon10, &Transition::Complete, Actor::Admin, after_the_visit).await.expect("completes");
    store.transition(tue10, &Transition::Confirm, Actor::Admin, now()).await.expect("confirms");
    store.transition(thu09, &Transition::Confirm, Actor::Admin, now()).await.expect("confirms");
    store.transition(wed14, &Transition::Cancel { reason: None }, Actor::Client, now()).await.expect("cancels");
    store.transition(wed15, &Transition::Cancel { reason: None }, Actor::Admin, now()).await.expect("cancels");

    // The week of Monday 2 June, local time.
    let figures = store.analytics(local(2, 0), local(9, 0), &tz).await.expect("computes");
    let day = |d: i8| jiff::civil::date(2025, 6, d);
    assert_eq!(figures.per_day, [(day(2), 2), (day(3), 1), (day(5), 1)], "Wednesday's two were cancelled");
    let mut by_status = figures.by_status.clone();
    by_status.sort_by_key(|(s, _)| s.code());
    assert_eq!(
        by_status,
        [(Status::Pending, 1), (Status::Confirmed, 2), (Status::Completed, 1), (Status::Cancelled, 2)]
    );
    let mut cancelled_by = figures.cancelled_by.clone();
    cancelled_by.sort_by_key(|(a, _)| a.name());
    assert_eq!(cancelled_by, [(Actor::Admin, 1), (Actor::Client, 1)]);
    let services: Vec<(&str, u64, u64, i64)> =
        figures.by_service.iter().map(|s| (s.name.as_str(), s.bookings, s.completed, s.revenue_cents)).collect();
    assert_eq!(services, [("A", 3, 1, 50_000), ("B", 1, 0, 0)]);
    let mut by_source = figures.by_source.clone();
    by_source.sort_by_key(|(s, _)| s.name());
    assert_eq!(by_source, [(Source::Admin, 5), (Source::Bot, 1)]);
    assert_eq!(figures.heat, [(1, 10, 1), (1, 11, 1), (2, 10, 1), (4, 9, 1)], "(weekday, hour, bookings)");
    assert_eq!(figures.booked_minutes, 60 + 30 + 60 + 60);
    // Eight slots (six booked, two free); each offers an hour: the next is an hour later or over four hours away.
    assert_eq!(figures.offered_minutes, 8 * 60);
    assert_eq!((figures.new_clients, figures.returning_clients), (2, 1));
    assert_eq!(figures.revenue_cents, 50_000);
    // Lead times 1, 2, 25, 53, 54 and 72 hours.
    assert_eq!(figures.lead_time_buckets, [2, 3, 1, 0, 0]);
    assert_eq!(figures.lead_time_median_hours, Some(53.0));

    let empty = store.analytics(local(20, 0), local(27, 0), &tz).await.expect("computes");
    assert!(empty.per_day.is_empty() && empty.by_service.is_empty());
    assert_eq!((empty.booked_minutes, empty.offered_minutes, empty.lead_time_median_hours), (0, 0, None));
}

// --- staff ---

async fn staff_member(store: &Shared, name: &str, services: &[&Service]) -> StaffId {
    let draft = zapys_domain::StaffDraft {
        name: zapys_domain::StaffName::parse(name).expect("valid"),
        description: String::new(),
        color: zapys_domain::Color::nth(0),
        hidden: false,
        telegram_chat_id: None,
        services: services
            .iter()
            .map(|s| zapys_domain::StaffService { service_id: s.id, duration: None, price: None })
            .collect(),
    };
    store.create_staff(&draft).await.expect("staff member is created").id
}

async fn slot_of(store: &Shared, staff: StaffId, at: Timestamp) -> SlotId {
    store.create_slot(staff, at).await.expect("slot is created").id
}

fn at_start(
    client: &Client,
    service: &Service,
    at: Timestamp,
    staff: Option<StaffId>,
    source: Source,
) -> BookingRequest {
    BookingRequest {
        client_id: client.id,
        service_id: service.id,
        at: BookAt::Start(at),
        staff_id: staff,
        source,
        notes: String::new(),
    }
}

/// The instant of a Kyiv wall-clock time.
fn kyiv(y: i16, m: i8, d: i8, h: i8, min: i8) -> Timestamp {
    let tz = zapys_domain::BusinessTime::parse("Europe/Kyiv").expect("known");
    tz.resolve(jiff::civil::date(y, m, d).at(h, min, 0, 0)).expect("exists").instant
}

/// A weekday (1 = Monday) and a stretch from (hour, minute) to (hour, minute).
type DayStretch = (i64, (i8, i8), (i8, i8));

fn hours(stretches: &[DayStretch]) -> zapys_domain::WeeklyHours {
    zapys_domain::WeeklyHours::new(stretches.iter().map(|&(day, (fh, fm), (th, tm))| {
        (
            day,
            zapys_domain::Stretch::new(jiff::civil::time(fh, fm, 0, 0), jiff::civil::time(th, tm, 0, 0))
                .expect("valid"),
        )
    }))
    .expect("valid hours")
}

pub async fn overlap_is_per_staff_member_and_a_long_visit_blocks_only_its_own(store: Shared) {
    let colouring = service(&store, "Colouring", 120).await;
    let (anna, bohdan) =
        (staff_member(&store, "Anna", &[&colouring]).await, staff_member(&store, "Bohdan", &[&colouring]).await);
    let (a, b) = (client(&store, 1).await, client(&store, 2).await);
    let (anna_10, bohdan_10) =
        (slot_of(&store, anna, hours_from_now(4)).await, slot_of(&store, bohdan, hours_from_now(4)).await);
    let anna_11 = slot_of(&store, anna, hours_from_now(5)).await;
    let bohdan_11 = slot_of(&store, bohdan, hours_from_now(5)).await;
    store.book(&request(&a, &colouring, anna_10, Source::Bot), now()).await.expect("Anna is free");
    store.book(&request(&b, &colouring, bohdan_10, Source::Bot), now()).await.expect("the same hour with Bohdan");
    let free = store.bookable(&colouring, None, now(), hours_from_now(24)).await.expect("reads");
    assert!(free.is_empty(), "both are busy for two hours: {free:?}");
    let c = client(&store, 3).await;
    assert_eq!(refusal(store.book(&request(&c, &colouring, anna_11, Source::Bot), now()).await), BookingRefusal::Taken);
    store
        .transition(
            store
                .appointments(&AppointmentQuery { staff_id: Some(bohdan), ..Default::default() })
                .await
                .expect("lists")
                .items[0]
                .appointment
                .id,
            &Transition::Cancel { reason: None },
            Actor::Admin,
            now(),
        )
        .await
        .expect("cancels");
    let free = store.bookable(&colouring, None, now(), hours_from_now(24)).await.expect("reads");
    assert_eq!(
        free.iter().map(|t| (t.slot_id, t.staff_id)).collect::<Vec<_>>(),
        vec![(bohdan_10, bohdan), (bohdan_11, bohdan)]
    );
    let only_anna = store.bookable(&colouring, Some(anna), now(), hours_from_now(24)).await.expect("reads");
    assert!(only_anna.is_empty(), "Anna's 11:00 is inside her 2-hour visit");
    let listed = store.slot(anna_11).await.expect("reads");
    assert!(listed.covered && !listed.reserved, "the slots list shows her 11:00 as held, though nothing starts there");
    assert!(!store.slot(bohdan_11).await.expect("reads").covered, "Bohdan's 11:00 is free again");
}

pub async fn any_staff_is_the_union_and_assignment_spreads_the_load(store: Shared) {
    let trim = service(&store, "Trim", 30).await;
    let sole = sole(&store).await;
    store.set_service_staff(trim.id, &[]).await.expect("nobody performs it yet");
    let team = [
        staff_member(&store, "Anna", &[&trim]).await,
        staff_member(&store, "Bohdan", &[&trim]).await,
        staff_member(&store, "Vira", &[&trim]).await,
    ];
    let times = [hours_from_now(4), hours_from_now(5)];
    for &member in &team {
        for at in times {
            slot_of(&store, member, at).await;
        }
    }
    slot_of(&store, sole, times[0]).await; // the first staff member does not perform it
    let free = store.bookable(&trim, None, now(), hours_from_now(24)).await.expect("reads");
    assert_eq!(free.len(), 6, "the union over the three who perform it");
    assert!(free.iter().all(|t| team.contains(&t.staff_id)));

    // Three bookings at 4h go to three different people.
    let mut given = Vec::new();
    for n in 1..=3 {
        let c = client(&store, n).await;
        let view = store.book(&at_start(&c, &trim, times[0], None, Source::Bot), now()).await.expect("someone is free");
        given.push(view.appointment.staff_id);
    }
    given.sort();
    assert_eq!(given, team.to_vec(), "one each");
    let fourth = client(&store, 4).await;
    assert_eq!(
        refusal(store.book(&at_start(&fourth, &trim, times[0], None, Source::Bot), now()).await),
        BookingRefusal::Taken
    );

    // At 5h everyone has one booking that day: the one who waited longest since their last gets it.
    let view = store.book(&at_start(&fourth, &trim, times[1], None, Source::Bot), now()).await.expect("free");
    let first_given =
        store.appointments(&AppointmentQuery { newest_first: false, ..Default::default() }).await.expect("lists").items
            [0]
        .appointment
        .staff_id;
    assert_eq!(view.appointment.staff_id, first_given, "a stable rotation, not a random pick");
}

pub async fn thirty_clients_racing_for_any_of_three_staff_get_three_bookings(store: Shared) {
    let trim = service(&store, "Trim", 30).await;
    store.set_service_staff(trim.id, &[]).await.expect("nobody performs it yet");
    let at = hours_from_now(4);
    let mut team = Vec::new();
    for name in ["Anna", "Bohdan", "Vira"] {
        let member = staff_member(&store, name, &[&trim]).await;
        slot_of(&store, member, at).await;
        team.push(member);
    }
    let mut clients = Vec::new();
    for n in 0..30 {
        clients.push(client(&store, n).await);
    }
    let races = clients.into_iter().map(|c| {
        let (store, trim) = (store.clone(), trim.clone());
        tokio::spawn(async move { store.book(&at_start(&c, &trim, at, None, Source::Bot), now()).await })
    });
    let results = futures_join(races).await;
    let won: Vec<StaffId> = results.iter().filter_map(|r| r.as_ref().ok()).map(|v| v.appointment.staff_id).collect();
    let taken = results.iter().filter(|r| matches!(r, Err(StoreError::Refused(BookingRefusal::Taken)))).count();
    let mut won_sorted = won.clone();
    won_sorted.sort();
    assert_eq!(won_sorted, team, "exactly one booking per staff member");
    assert_eq!(taken, 27, "everyone else hears the time is taken");
}

pub async fn twenty_clients_racing_for_one_staff_member_get_one_booking(store: Shared) {
    let trim = service(&store, "Trim", 30).await;
    let anna = staff_member(&store, "Anna", &[&trim]).await;
    let at = hours_from_now(4);
    slot_of(&store, anna, at).await;
    let mut clients = Vec::new();
    for n in 0..20 {
        clients.push(client(&store, n).await);
    }
    let races = clients.into_iter().map(|c| {
        let (store, trim) = (store.clone(), trim.clone());
        tokio::spawn(async move { store.book(&at_start(&c, &trim, at, Some(anna), Source::Bot), now()).await })
    });
    let results = futures_join(races).await;
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1);
    assert_eq!(results.iter().filter(|r| matches!(r, Err(StoreError::Refused(BookingRefusal::Taken)))).count(), 19);
}

async fn futures_join<T: Send + 'static>(handles: impl Iterator<Item = tokio::task::JoinHandle<T>>) -> Vec<T> {
    let mut results = Vec::new();
    for handle in handles.collect::<Vec<_>>() {
        results.push(handle.await.expect("the task finishes"));
    }
    results
}

pub async fn hidden_and_deleted_staff_keep_their_history(store: Shared) {
    let trim = service(&store, "Trim", 30).await;
    let anna = staff_member(&store, "Anna", &[&trim]).await;
    let ten = slot_of(&store, anna, hours_from_now(4)).await;
    let eleven = slot_of(&store, anna, hours_from_now(5)).await;
    let a = client(&store, 1).await;
    let booked = store.book(&request(&a, &trim, ten, Source::Bot), now()).await.expect("free");

    let mut member = store.staff_member(anna).await.expect("reads");
    let draft = zapys_domain::StaffDraft {
        name: member.name.clone(),
        description: member.description.clone(),
        color: member.color.clone(),
        hidden: true,
        telegram_chat_id: None,
        services: member.services.clone(),
    };
    member = store.update_staff(anna, &draft).await.expect("hidden");
    assert!(member.hidden);
    let free = store.bookable(&trim, None, now(), hours_from_now(24)).await.expect("reads");
    assert!(free.iter().all(|t| t.staff_id != anna), "a hidden staff member is not offered");
    let b = client(&store, 2).await;
    assert_eq!(refusal(store.book(&request(&b, &trim, eleven, Source::Bot), now()).await), BookingRefusal::StaffHidden);
    store.book(&request(&b, &trim, eleven, Source::Admin), now()).await.expect("the business itself may");

    assert!(matches!(store.delete_staff(anna, now()).await, Err(StoreError::InUse(_))), "upcoming bookings");
    for view in
        store.appointments(&AppointmentQuery { staff_id: Some(anna), ..Default::default() }).await.expect("lists").items
    {
        store
            .transition(view.appointment.id, &Transition::Cancel { reason: None }, Actor::Admin, now())
            .await
            .expect("cancels");
    }
    store.delete_staff(anna, now()).await.expect("nothing ahead");
    assert!(matches!(store.staff_member(anna).await, Err(StoreError::NotFound { .. })));
    assert!(store.staff().await.expect("lists").iter().all(|m| m.id != anna));
    let history = store.appointment(booked.appointment.id).await.expect("history stays");
    assert_eq!(history.staff_name, "Anna");
    assert!(matches!(store.create_slot(anna, hours_from_now(8)).await, Err(StoreError::UnknownReference { .. })));
}

pub async fn a_staff_member_who_does_not_perform_the_service_is_refused(store: Shared) {
    let trim = service(&store, "Trim", 30).await;
    let nails = service(&store, "Nails", 60).await;
    let anna = staff_member(&store, "Anna", &[&nails]).await;
    let ten = slot_of(&store, anna, hours_from_now(4)).await;
    let a = client(&store, 1).await;
    for source in [Source::Bot, Source::Admin] {
        assert_eq!(refusal(store.book(&request(&a, &trim, ten, source), now()).await), BookingRefusal::NotPerformed);
        let by_start = store.book(&at_start(&a, &trim, hours_from_now(4), Some(anna), source), now()).await;
        assert_eq!(refusal(by_start), BookingRefusal::NotPerformed);
    }
    assert!(store.bookable(&trim, Some(anna), now(), hours_from_now(24)).await.expect("reads").is_empty());
    store.book(&request(&a, &nails, ten, Source::Bot), now()).await.expect("she does nails");
}

/// Starts every 30 minutes from 08:00 to 20:30 on a Kyiv date, added by hand (no closing time of their own).
async fn half_hours(store: &Shared, staff: StaffId, y: i16, m: i8, d: i8) {
    for n in 0..26 {
        slot_of(store, staff, kyiv(y, m, d, 8, 0) + SignedDurationExt::mins(30 * n)).await;
    }
}

struct SignedDurationExt;
impl SignedDurationExt {
    fn mins(n: i64) -> jiff::SignedDuration {
        jiff::SignedDuration::from_mins(n)
    }
}

fn local_times(store: &Shared, times: &[crate::BookableTime]) -> Vec<String> {
    let tz = store.settings().timezone;
    times.iter().map(|t| zapys_domain::time::format_time(tz.local(t.start).time())).collect()
}

pub async fn working_hours_with_breaks_and_exceptions_shape_availability(store: Shared) {
    let hour = service(&store, "Hour", 60).await;
    let anna = staff_member(&store, "Anna", &[&hour]).await;
    // Tuesdays 10–14 and 15–19 (lunch 14–15). 2025-06-03 and 2025-06-10 are Tuesdays.
    store.set_weekly_hours(anna, &hours(&[(2, (10, 0), (14, 0)), (2, (15, 0), (19, 0))])).await.expect("saved");
    for d in [3, 4, 10] {
        half_hours(&store, anna, 2025, 6, d).await;
    }
    let day = |d: i8| (kyiv(2025, 6, d, 0, 0), kyiv(2025, 6, d + 1, 0, 0));
    let (from, to) = day(3);
    let tuesday = store.bookable(&hour, Some(anna), from, to).await.expect("reads");
    assert_eq!(
        local_times(&store, &tuesday),
        [
            "10:00", "10:30", "11:00", "11:30", "12:00", "12:30", "13:00", "15:00", "15:30", "16:00", "16:30", "17:00",
            "17:30", "18:00"
        ],
        "nothing runs into lunch or past closing"
    );
    let (from, to) = day(4);
    assert!(store.bookable(&hour, Some(anna), from, to).await.expect("reads").is_empty(), "Wednesday is a day off");

    // A vacation, then other hours on one date.
    let vacation = zapys_domain::ExceptionDraft::new(
        jiff::civil::date(2025, 6, 9),
        jiff::civil::date(2025, 6, 15),
        vec![],
        "vacation",
    )
    .expect("valid");
    let exception = store.add_exception(anna, &vacation).await.expect("added");
    let (from, to) = day(10);
    assert!(store.bookable(&hour, Some(anna), from, to).await.expect("reads").is_empty(), "on vacation");
    let c = client(&store, 1).await;
    let refused = store.book(&at_start(&c, &hour, kyiv(2025, 6, 10, 11, 0), Some(anna), Source::Bot), now()).await;
    assert_eq!(refusal(refused), BookingRefusal::OutsideHours);
    store.delete_exception(anna, exception.id).await.expect("deleted");
    let short = zapys_domain::ExceptionDraft::new(
        jiff::civil::date(2025, 6, 10),
        jiff::civil::date(2025, 6, 10),
        vec![
            zapys_domain::Stretch::new(jiff::civil::time(12, 0, 0, 0), jiff::civil::time(14, 0, 0, 0)).expect("valid"),
        ],
        "",
    )
    .expect("valid");
    store.add_exception(anna, &short).await.expect("added");
    let schedule = store.schedule(anna).await.expect("reads");
    assert_eq!(schedule.exceptions.len(), 1);
    assert_eq!(
        local_times(&store, &store.bookable(&hour, Some(anna), from, to).await.expect("reads")),
        ["12:00", "12:30", "13:00"]
    );
}

pub async fn working_hours_follow_the_clock_across_dst(store: Shared) {
    let hour = service(&store, "Hour", 60).await;
    let anna = staff_member(&store, "Anna", &[&hour]).await;
    // Sundays 08:00–12:00. Kyiv: 2025-10-26 is the autumn change (04:00 → 03:00), far from these hours;
    // 2026-03-29 the spring one (03:00 → 04:00). Hours from 02:00 to 06:00 cross both.
    store.set_weekly_hours(anna, &hours(&[(7, (2, 0), (6, 0))])).await.expect("saved");
    let tz = store.settings().timezone;
    for (y, m, d) in [(2025, 10, 26), (2026, 3, 29), (2025, 11, 2)] {
        let start = tz.start_of_day(jiff::civil::date(y, m, d));
        for n in 0..20 {
            let _ = store.create_slot(anna, start + jiff::SignedDuration::from_mins(30 * n)).await;
        }
    }
    let count = async |y: i16, m: i8, d: i8| {
        let from = tz.start_of_day(jiff::civil::date(y, m, d));
        let to = from + jiff::SignedDuration::from_hours(20);
        store.bookable(&hour, Some(anna), from, to).await.expect("reads").len()
    };
    // An ordinary Sunday: 4 hours of work, hour-long visits every 30 minutes: 02:00 … 05:00 = 7 starts.
    assert_eq!(count(2025, 11, 2).await, 7);
    // Autumn: the wall clock runs 02:00–06:00 over 5 real hours: 9 starts.
    assert_eq!(count(2025, 10, 26).await, 9);
    // Spring: 02:00–06:00 lasts 3 real hours: 5 starts.
    assert_eq!(count(2026, 3, 29).await, 5);
}

pub async fn a_visit_must_end_by_the_closing_time_it_was_generated_with(store: Shared) {
    let colouring = service(&store, "Colouring", 120).await;
    let staff = sole(&store).await;
    // "10:00–19:00, every 30 minutes" as the generate form sends it: 19:00 is closing time.
    let schedule = zapys_domain::WorkingHours::new(
        jiff::civil::date(2025, 6, 3),
        jiff::civil::date(2025, 6, 3),
        &[2],
        jiff::civil::time(10, 0, 0, 0),
        jiff::civil::time(19, 0, 0, 0),
        30,
    )
    .expect("valid");
    let tz = store.settings().timezone;
    let grid: Vec<GeneratedStart> =
        schedule.starts(&tz).iter().map(|g| GeneratedStart { at: g.instant, ends_by: g.ends_by }).collect();
    assert_eq!(grid.len(), 18, "10:00 … 18:30");
    store.generate_slots(staff, &grid, None).await.expect("generated");
    let free = store.bookable(&colouring, None, kyiv(2025, 6, 3, 0, 0), kyiv(2025, 6, 4, 0, 0)).await.expect("reads");
    assert_eq!(local_times(&store, &free).last().map(String::as_str), Some("17:00"), "18:30 would end at 20:30");
    let c = client(&store, 1).await;
    let late = store.book(&at_start(&c, &colouring, kyiv(2025, 6, 3, 18, 30), None, Source::Bot), now()).await;
    assert_eq!(refusal(late), BookingRefusal::OutsideHours, "a 2-hour visit at 18:30 would run past closing");
}

pub async fn generating_again_replaces_the_unbooked_generated_times(store: Shared) {
    let trim = service(&store, "Trim", 30).await;
    let staff = sole(&store).await;
    let tz = store.settings().timezone;
    let grid = |step: i64| -> Vec<GeneratedStart> {
        zapys_domain::WorkingHours::new(
            jiff::civil::date(2025, 6, 3),
            jiff::civil::date(2025, 6, 3),
            &[2],
            jiff::civil::time(10, 0, 0, 0),
            jiff::civil::time(12, 0, 0, 0),
            step,
        )
        .expect("valid")
        .starts(&tz)
        .iter()
        .map(|g| GeneratedStart { at: g.instant, ends_by: g.ends_by })
        .collect()
    };
    let window = Some((kyiv(2025, 6, 3, 0, 0), kyiv(2025, 6, 4, 0, 0)));
    let first = store.generate_slots(staff, &grid(30), window).await.expect("generated");
    assert_eq!((first.added, first.removed), (4, 0));
    let by_hand = slot_of(&store, staff, kyiv(2025, 6, 3, 10, 45)).await;
    let c = client(&store, 1).await;
    let ten_thirty = store
        .slots(&SlotQuery::default())
        .await
        .expect("lists")
        .items
        .into_iter()
        .find(|s| s.starts_at == kyiv(2025, 6, 3, 10, 30))
        .expect("there")
        .id;
    store.book(&request(&c, &trim, ten_thirty, Source::Admin), now()).await.expect("booked");

    // Hourly now: 10:00 and 11:00 stay, 11:30 goes; the booked 10:30 and the hand-made 10:45 stay.
    let again = store.generate_slots(staff, &grid(60), window).await.expect("generated");
    assert_eq!((again.added, again.removed), (0, 1));
    let starts: Vec<String> = store
        .slots(&SlotQuery { newest_first: false, ..Default::default() })
        .await
        .expect("lists")
        .items
        .iter()
        .map(|s| zapys_domain::time::format_time(tz.local(s.starts_at).time()))
        .collect();
    assert_eq!(starts, ["10:00", "10:30", "10:45", "11:00"]);
    assert!(store.slot(by_hand).await.is_ok());
}

pub async fn buffers_block_the_staff_member_but_not_the_visit(store: Shared) {
    let draft = ServiceDraft {
        name: ServiceName::parse("Colouring").expect("valid"),
        duration: Duration::from_minutes(60).expect("valid"),
        price: None,
        description: String::new(),
        hidden: false,
        buffers: zapys_domain::Buffers::from_minutes(0, 30).expect("valid"),
        rebook_after_days: None,
    };
    let colouring = store.create_service(&draft).await.expect("created");
    let staff = sole(&store).await;
    let ten = slot(&store, hours_from_now(4)).await;
    let eleven = slot(&store, hours_from_now(5)).await;
    let half_past = slot(&store, hours_from_now(5) + jiff::SignedDuration::from_mins(30)).await;
    let a = client(&store, 1).await;
    let view = store.book(&request(&a, &colouring, ten, Source::Bot), now()).await.expect("free");
    assert_eq!(view.appointment.ends_at, hours_from_now(5), "the client's visit is the hour alone");
    let free = store.bookable(&colouring, Some(staff), now(), hours_from_now(24)).await.expect("reads");
    assert_eq!(free.iter().map(|t| t.slot_id).collect::<Vec<_>>(), vec![half_past], "11:00 falls in the cleaning");
    assert_eq!(free[0].end, hours_from_now(6) + jiff::SignedDuration::from_mins(30), "the end shown is the visit's");
    let b = client(&store, 2).await;
    assert_eq!(
        refusal(store.book(&request(&b, &colouring, eleven, Source::Admin), now()).await),
        BookingRefusal::Taken
    );
}

pub async fn own_price_and_duration_of_a_staff_member_are_used(store: Shared) {
    use zapys_domain::Price;
    let draft = ServiceDraft {
        name: ServiceName::parse("Haircut").expect("valid"),
        duration: Duration::from_minutes(60).expect("valid"),
        price: Some(Price::from_units(500.0).expect("valid")),
        description: String::new(),
        hidden: false,
        buffers: zapys_domain::Buffers::NONE,
        rebook_after_days: None,
    };
    let haircut = store.create_service(&draft).await.expect("created");
    let senior = store
        .create_staff(&zapys_domain::StaffDraft {
            name: zapys_domain::StaffName::parse("Senior").expect("valid"),
            description: String::new(),
            color: zapys_domain::Color::nth(1),
            hidden: false,
            telegram_chat_id: None,
            services: vec![zapys_domain::StaffService {
                service_id: haircut.id,
                duration: Some(Duration::from_minutes(90).expect("valid")),
                price: Some(Price::from_units(800.0).expect("valid")),
            }],
        })
        .await
        .expect("created")
        .id;
    let ten = slot_of(&store, senior, hours_from_now(4)).await;
    let a = client(&store, 1).await;
    let view = store.book(&request(&a, &haircut, ten, Source::Bot), now()).await.expect("free");
    assert_eq!(view.price, Some(Price::from_units(800.0).expect("valid")));
    assert_eq!(view.appointment.ends_at, hours_from_now(4) + jiff::SignedDuration::from_mins(90));
    assert_eq!(view.staff_name, "Senior");
}

pub async fn offered_time_is_counted_per_staff_member(store: Shared) {
    let trim = service(&store, "Trim", 30).await;
    let (sole, anna) = (sole(&store).await, staff_member(&store, "Anna", &[&trim]).await);
    // Both offer 10:00, 10:30 and 11:00 on Tuesday: two staff members, two half-hour runs each.
    for member in [sole, anna] {
        for minutes in [0, 30, 60] {
            slot_of(&store, member, kyiv(2025, 6, 3, 10, 0) + jiff::SignedDuration::from_mins(minutes)).await;
        }
    }
    let tz = store.settings().timezone;
    let figures = store.analytics(kyiv(2025, 6, 3, 0, 0), kyiv(2025, 6, 4, 0, 0), &tz).await.expect("reads");
    // Each run: 30 + 30 minutes, and an hour for its last slot.
    assert_eq!(figures.offered_minutes, 2 * (30 + 30 + 60));
}

// --- moving a booking, the change window ---

pub async fn the_change_window_holds_clients_but_not_the_business(store: Shared) {
    let mut settings = store.settings();
    settings.change_window_hours = 24;
    store.save_settings(&settings).await.expect("saves");
    let haircut = service(&store, "Haircut", 60).await;
    let a = client(&store, 1).await;
    let soon = slot(&store, hours_from_now(20)).await;
    let later = slot(&store, hours_from_now(30)).await;
    let much_later = slot(&store, hours_from_now(50)).await;
    let near = store.book(&request(&a, &haircut, soon, Source::Bot), now()).await.expect("free").appointment.id;
    let far = store.book(&request(&a, &haircut, later, Source::Bot), now()).await.expect("free").appointment.id;
    let to = |slot, source| Reschedule {
        staff_id: None,
        target: Some(Target::Slot(slot)),
        service_id: None,
        client_id: None,
        notes: None,
        source,
        price: None,
    };

    // 20 hours ahead: inside the window for the client in the bot and integrations moving for them.
    for source in [Source::Bot, Source::Api] {
        assert_eq!(
            refusal(store.reschedule(near, &to(much_later, source), now()).await),
            BookingRefusal::InsideChangeWindow { hours: 24 }
        );
    }
    let cancel = Transition::Cancel { reason: None };
    assert_eq!(
        refusal(store.transition(near, &cancel, Actor::Client, now()).await),
        BookingRefusal::InsideChangeWindow { hours: 24 }
    );
    let unchanged = store.appointment(near).await.expect("exists").appointment;
    assert_eq!((unchanged.starts_at, unchanged.status), (hours_from_now(20), Status::Pending), "nothing changed");

    // 30 hours ahead: outside it.
    store.reschedule(far, &to(much_later, Source::Bot), now()).await.expect("a client may move it");
    // The business may always.
    store.reschedule(near, &to(later, Source::Admin), now()).await.expect("the business may move it");
    let (_, changed) = store.transition(near, &cancel, Actor::Admin, now()).await.expect("the business may cancel");
    assert!(changed);
    // A cancelled booking is no longer the window's business: cancelling again is just no change.
    let (_, again) = store.transition(near, &cancel, Actor::Client, now()).await.expect("already cancelled");
    assert!(!again);
}

pub async fn a_client_move_frees_the_old_time_and_tells_the_business_and_staff(store: Shared) {
    let haircut = service(&store, "Haircut", 60).await;
    let staff = sole(&store).await;
    let member = store.staff_member(staff).await.expect("exists");
    let draft = zapys_domain::StaffDraft {
        name: member.name.clone(),
        description: member.description.clone(),
        color: member.color,
        hidden: false,
        telegram_chat_id: Some(7001),
        services: member.services.clone(),
    };
    store.update_staff(staff, &draft).await.expect("updated");
    let (a, b) = (client(&store, 1).await, client(&store, 2).await);
    let ten = slot(&store, hours_from_now(4)).await;
    let two = slot(&store, hours_from_now(8)).await;
    let booked = store.book(&request(&a, &haircut, ten, Source::Bot), now()).await.expect("free");
    let change = Reschedule {
        staff_id: None,
        target: Some(Target::Slot(two)),
        service_id: None,
        client_id: None,
        notes: None,
        source: Source::Bot,
        price: None,
    };
    let moved = store.reschedule(booked.appointment.id, &change, now()).await.expect("moves");
    assert_eq!(moved.appointment.starts_at, hours_from_now(8));
    store.book(&request(&b, &haircut, ten, Source::Bot), now()).await.expect("the old time is free");

    let notices = store.notices(&Default::default()).await.expect("lists").items;
    let mut of_move: Vec<_> = notices
        .iter()
        .filter(|n| n.appointment_id == Some(booked.appointment.id))
        .filter(|n| matches!(n.notice, zapys_domain::Notice::ClientMoved | zapys_domain::Notice::StaffMoved))
        .map(|n| (n.notice, n.chat_id, n.detail.clone()))
        .collect();
    of_move.sort_by_key(|(_, chat, _)| *chat);
    let former = Some(hours_from_now(4).to_string());
    assert_eq!(
        of_move,
        [
            (zapys_domain::Notice::ClientMoved, None, former.clone()),
            (zapys_domain::Notice::StaffMoved, Some(7001), former),
        ],
        "the business and the staff member hear of it, with where it was"
    );
    assert!(
        !notices.iter().any(|n| n.notice == zapys_domain::Notice::Moved),
        "the client is not told what they did themselves"
    );
}

// --- a visit's own price ---

pub async fn a_visits_price_can_be_adjusted_and_revenue_follows_it(store: Shared) {
    let draft = ServiceDraft {
        name: ServiceName::parse("Colour").expect("valid"),
        duration: Duration::from_minutes(60).expect("valid"),
        price: Some(zapys_domain::Price::from_cents(60_000).expect("valid")),
        description: String::new(),
        hidden: false,
        buffers: zapys_domain::Buffers::NONE,
        rebook_after_days: None,
    };
    let colour = store.create_service(&draft).await.expect("created");
    let a = client(&store, 1).await;
    let ten = slot(&store, hours_from_now(4)).await;
    let booked = store.book(&request(&a, &colour, ten, Source::Admin), now()).await.expect("free").appointment.id;
    assert_eq!(store.appointment(booked).await.expect("exists").price.map(|p| p.cents()), Some(60_000));

    let discounted = zapys_domain::Price::from_cents(50_050).expect("valid");
    let later = hours_from_now(5);
    store.transition(booked, &Transition::Complete, Actor::Admin, later).await.expect("completes");
    let view = store.set_visit_price(booked, Some(discounted), Actor::Admin, later).await.expect("adjusts");
    assert_eq!(view.price, Some(discounted), "after the visit, at checkout");
    let history = store.appointment_events(booked).await.expect("reads");
    let last = history.last().expect("an event");
    assert_eq!((last.kind.as_str(), last.detail.as_deref()), ("price_changed", Some("from 600.00 to 500.50")));
    assert_eq!(
        store.service(colour.id).await.expect("exists").price.map(|p| p.cents()),
        Some(60_000),
        "the service keeps its price"
    );

    // The same price again is no change and no history line.
    store.set_visit_price(booked, Some(discounted), Actor::Admin, later).await.expect("no change");
    assert_eq!(store.appointment_events(booked).await.expect("reads").len(), history.len());

    let tz = store.settings().timezone;
    let figures = store.analytics(now(), hours_from_now(24), &tz).await.expect("computes");
    assert_eq!(figures.revenue_cents, 50_050, "revenue counts what the visit cost");
    assert!(matches!(
        store.set_visit_price(zapys_domain::AppointmentId(999_999), None, Actor::Admin, later).await,
        Err(StoreError::NotFound { .. })
    ));

    // Moved with a price of its own: both in one change, and the price wins over the service's. A
    // move that is refused sets no price either.
    let b = client(&store, 2).await;
    let eleven = slot(&store, hours_from_now(6)).await;
    let noon = slot(&store, hours_from_now(8)).await;
    let other = store.book(&request(&b, &colour, eleven, Source::Admin), now()).await.expect("free").appointment.id;
    let taken = slot(&store, hours_from_now(10)).await;
    store.book(&request(&a, &colour, taken, Source::Admin), now()).await.expect("free");
    let extra = zapys_domain::Price::from_cents(70_000).expect("valid");
    let move_to = |slot| Reschedule {
        target: Some(Target::Slot(slot)),
        staff_id: None,
        service_id: None,
        client_id: None,
        notes: None,
        source: Source::Admin,
        price: Some(extra),
    };
    let refused = store.reschedule(other, &move_to(taken), now()).await;
    assert!(matches!(refused, Err(StoreError::Refused(BookingRefusal::Taken))), "{refused:?}");
    assert_eq!(store.appointment(other).await.expect("exists").price.map(|p| p.cents()), Some(60_000), "unchanged");
    let moved = store.reschedule(other, &move_to(noon), now()).await.expect("moves");
    assert_eq!((moved.appointment.starts_at, moved.price), (hours_from_now(8), Some(extra)));
    let kinds: Vec<_> = store.appointment_events(other).await.expect("reads").into_iter().map(|e| e.kind).collect();
    assert!(kinds.ends_with(&["moved".to_owned(), "price_changed".to_owned()]), "{kinds:?}");
}

// --- support ---

fn support(client: &Client, direction: crate::SupportDirection, text: &str) -> crate::SupportDraft {
    crate::SupportDraft { client_id: client.id, direction, text: text.into(), media: None, author: None }
}

pub async fn a_support_thread_is_kept_queued_both_ways_and_erased_with_its_client(store: Shared) {
    use crate::{SupportDirection, SupportMedia};
    let (a, b) = (client(&store, 1).await, client(&store, 2).await);
    let question = store
        .add_support_message(&support(&a, SupportDirection::FromClient, "Можна о 15:00?"), now())
        .await
        .expect("stored");
    let photo = crate::SupportDraft {
        media: Some(SupportMedia::Photo { file_id: "AgAD-photo".into() }),
        ..support(&a, SupportDirection::FromClient, "ось так")
    };
    let photo = store.add_support_message(&photo, hours_from_now(1)).await.expect("stored");
    let answer = crate::SupportDraft {
        author: Some("admin".into()),
        ..support(&a, SupportDirection::ToClient, "Так, чекаємо")
    };
    let answer = store.add_support_message(&answer, hours_from_now(2)).await.expect("stored");

    let thread = store.support_thread(a.id).await.expect("reads");
    assert_eq!(thread, [question.clone(), photo.clone(), answer.clone()], "oldest first, as written");
    assert_eq!((thread[0].text.as_str(), thread[0].created_at), ("Можна о 15:00?", now()));
    assert_eq!(thread[1].media, Some(SupportMedia::Photo { file_id: "AgAD-photo".into() }));
    assert_eq!((thread[2].direction, thread[2].author.as_deref()), (SupportDirection::ToClient, Some("admin")));
    assert!(store.support_thread(b.id).await.expect("reads").is_empty(), "threads are per client");

    // Each message was queued with it: the client's for the business chat, the answer for theirs.
    let items = all_notices(&store).await;
    assert_eq!(kinds(&items), [("support_message", None), ("support_message", None), ("support_reply", Some(1001))]);
    let named: Vec<Option<String>> = items.iter().map(|i| i.detail.clone()).collect();
    assert_eq!(named, [question.id, photo.id, answer.id].map(|id| Some(id.to_string())));
    assert!(
        items
            .iter()
            .all(|i| i.lane() == if i.chat_id.is_some() { crate::Lane::Chat(1001) } else { crate::Lane::Business })
    );

    // The bot cannot answer a client without Telegram, nor anyone for a client who is not there.
    let offline = store.create_client(&draft("Offline", "+380670000999", None)).await.expect("created");
    assert!(matches!(
        store.add_support_message(&support(&offline, SupportDirection::ToClient, "?"), now()).await,
        Err(StoreError::Conflict(_))
    ));
    let nobody = Client { id: zapys_domain::ClientId(999_999), ..a.clone() };
    assert!(matches!(
        store.add_support_message(&support(&nobody, SupportDirection::FromClient, "?"), now()).await,
        Err(StoreError::UnknownReference { .. })
    ));

    // A second answer still waits when the client erases their data: the thread goes, the answer is not sent.
    store
        .add_support_message(&support(&a, SupportDirection::ToClient, "І ще"), hours_from_now(3))
        .await
        .expect("stored");
    store.erase_client(a.id, Actor::Client, hours_from_now(4)).await.expect("erased");
    assert!(store.support_thread(a.id).await.expect("reads").is_empty(), "the thread is erased with the client");
    assert_eq!(store.support_message(question.id).await.expect("reads"), None);
    let pending: Vec<_> = all_notices(&store)
        .await
        .into_iter()
        .filter(|i| i.notice == zapys_domain::Notice::SupportReply && i.state == crate::NoticeState::Pending)
        .collect();
    assert!(pending.is_empty(), "nothing is left to send to an erased client: {pending:?}");
    // An erased message's id is never given to another's, so a notice still naming it finds nothing.
    let later =
        store.add_support_message(&support(&b, SupportDirection::FromClient, "Привіт"), now()).await.expect("stored");
    assert!(later.id > answer.id + 1, "ids are not reused: {} after {}", later.id, answer.id);
}

pub async fn an_admin_reply_finds_only_the_relayed_message_it_answers(store: Shared) {
    use crate::SupportDirection;
    let (a, b) = (client(&store, 1).await, client(&store, 2).await);
    let from_a =
        store.add_support_message(&support(&a, SupportDirection::FromClient, "a"), now()).await.expect("stored");
    let from_b =
        store.add_support_message(&support(&b, SupportDirection::FromClient, "b"), now()).await.expect("stored");
    let business = -100_123;
    store.mark_support_relayed(from_a.id, business, 41).await.expect("recorded");
    store.mark_support_relayed(from_b.id, business, 42).await.expect("recorded");
    assert_eq!(store.support_by_relay(business, 41).await.expect("reads"), Some(from_a.clone()));
    assert_eq!(store.support_by_relay(business, 42).await.expect("reads"), Some(from_b));
    assert_eq!(store.support_by_relay(business, 43).await.expect("reads"), None, "a message that was not relayed");
    assert_eq!(store.support_by_relay(-100_999, 41).await.expect("reads"), None, "the same number in another chat");
    store.erase_client(a.id, Actor::Admin, now()).await.expect("erased");
    assert_eq!(store.support_by_relay(business, 41).await.expect("reads"), None, "an erased client's is gone");
}

// --- a client's private notes ---

pub async fn a_clients_private_notes_are_kept_and_forgotten_with_them(store: Shared) {
    let (a, b) = (client(&store, 1).await, client(&store, 2).await);
    assert_eq!(store.client_notes(a.id).await.expect("reads"), "", "none at first");
    let formula = "Алергія на аміак. Фарба: 7.1 + 3% оксид, 35 хв";
    store.set_client_notes(a.id, formula).await.expect("saves");
    assert_eq!(store.client_notes(a.id).await.expect("reads"), formula);
    assert_eq!(store.client_notes(b.id).await.expect("reads"), "", "per client");
    store.set_client_notes(a.id, "").await.expect("clears");
    assert_eq!(store.client_notes(a.id).await.expect("reads"), "");
    store.set_client_notes(a.id, formula).await.expect("saves");

    store.erase_client(a.id, Actor::Admin, now()).await.expect("erased");
    assert!(matches!(store.client_notes(a.id).await, Err(StoreError::NotFound { .. })), "forgotten with the client");
    assert!(matches!(store.set_client_notes(a.id, "x").await, Err(StoreError::NotFound { .. })));
    assert!(matches!(
        store.set_client_notes(zapys_domain::ClientId(999_999), "x").await,
        Err(StoreError::NotFound { .. })
    ));
}
