//! The messages and keyboards the bot shows. Pure functions of the data.

use std::collections::BTreeSet;

use jiff::Timestamp;
use jiff::civil::Date;
use zapys_domain::time::format_time;
use zapys_domain::{AppointmentId, BusinessTime, Price, Service, StaffMember, StaffService};

use crate::callback::{Action, Flow, Pick};
use crate::reply::{InlineButton, Keyboard, Message, ReplyButton};
use crate::texts::{Texts, fill};

pub fn button(text: impl Into<String>, action: Action) -> InlineButton {
    InlineButton { text: text.into(), callback_data: action.encode() }
}

/// The main menu: a persistent keyboard of four buttons.
pub fn menu(t: &Texts, text: impl Into<String>) -> Message {
    let key = |text: &str| ReplyButton { text: text.to_owned(), request_contact: false };
    Message {
        text: text.into(),
        keyboard: Keyboard::Reply(vec![
            vec![key(t.menu_book), key(t.menu_my)],
            vec![key(t.menu_profile), key(t.menu_contacts)],
        ]),
    }
}

/// A question with a "share my number" button.
pub fn ask_phone(t: &Texts, text: impl Into<String>) -> Message {
    Message {
        text: text.into(),
        keyboard: Keyboard::Reply(vec![vec![ReplyButton { text: t.share_phone.to_owned(), request_contact: true }]]),
    }
}

pub fn price(t: &Texts, price: Option<Price>) -> String {
    match price {
        None => t.unknown.to_owned(),
        Some(p) if p.cents() == 0 => t.free.to_owned(),
        Some(p) if p.cents() % 100 == 0 => fill(t.price, &[("amount", &(p.cents() / 100).to_string())]),
        Some(p) => fill(t.price, &[("amount", &format!("{:.2}", p.units()))]),
    }
}

/// "Вт 03.03.2026"
pub fn date(t: &Texts, date: Date) -> String {
    let weekday = t.weekdays[usize::try_from(date.weekday().to_monday_zero_offset()).unwrap_or(0)];
    format!("{weekday} {}", date.strftime("%d.%m.%Y"))
}

pub fn time(tz: &BusinessTime, at: Timestamp) -> String {
    format_time(tz.local(at).time())
}

/// "Book again": the last service with the same staff member, and its nearest free times.
pub struct Repeat<'a> {
    pub service: &'a Service,
    pub staff: &'a StaffMember,
    pub times: &'a [Timestamp],
}

/// The list of services; for a returning client, "book again" with its nearest times first.
pub fn services(t: &Texts, tz: &BusinessTime, services: &[Service], repeat: Option<Repeat<'_>>) -> Message {
    let mut rows: Vec<Vec<InlineButton>> = Vec::new();
    let mut text = t.choose_service.to_owned();
    if let Some(repeat) = repeat {
        let pick = Pick::One(repeat.staff.id);
        rows.extend(repeat.times.chunks(3).map(|chunk| {
            chunk
                .iter()
                .map(|at| {
                    let local = tz.local(*at);
                    let label =
                        fill(t.repeat_time, &[("date", &short_date(t, local.date())), ("time", &time(tz, *at))]);
                    button(label, Action::Time { service: repeat.service.id, pick, at: *at })
                })
                .collect()
        }));
        let offer =
            fill(t.repeat_offer, &[("service", repeat.service.name.as_str()), ("staff", repeat.staff.name.as_str())]);
        text = format!("{offer}\n\n{}", t.choose_service);
    }
    rows.extend(services.iter().map(|s| {
        let minutes = fill(t.minutes, &[("n", &s.duration.minutes().to_string())]);
        let label = match s.price {
            Some(_) => format!("{} · {minutes} · {}", s.name.as_str(), price(t, s.price)),
            None => format!("{} · {minutes}", s.name.as_str()),
        };
        vec![button(label, Action::Service(s.id))]
    }));
    rows.push(vec![button(t.to_menu, Action::Menu)]);
    Message::inline(text, rows)
}

/// The services one staff member performs (a start link to them), each straight to their calendar.
pub fn services_of(t: &Texts, member: &StaffMember, services: &[Service]) -> Message {
    let mut rows: Vec<Vec<InlineButton>> = services
        .iter()
        .map(|s| {
            let own = member.performs(s.id);
            let minutes = own.and_then(|o| o.duration).unwrap_or(s.duration).minutes();
            let minutes = fill(t.minutes, &[("n", &minutes.to_string())]);
            let label = match own.and_then(|o| o.price).or(s.price) {
                Some(p) => format!("{} · {minutes} · {}", s.name.as_str(), price(t, Some(p))),
                None => format!("{} · {minutes}", s.name.as_str()),
            };
            vec![button(label, Action::Staff { service: s.id, pick: Pick::One(member.id) })]
        })
        .collect();
    rows.push(vec![button(t.menu_book, Action::Services), button(t.to_menu, Action::Menu)]);
    Message::inline(fill(t.services_of_staff, &[("staff", member.name.as_str())]), rows)
}

/// "Вт 03.03"
pub fn short_date(t: &Texts, date: Date) -> String {
    let weekday = t.weekdays[usize::try_from(date.weekday().to_monday_zero_offset()).unwrap_or(0)];
    format!("{weekday} {}", date.strftime("%d.%m"))
}

/// The staff members who perform a service (each with what differs for them), and "anyone".
pub fn staff(t: &Texts, service: &Service, members: &[(StaffMember, StaffService)], heading: Option<&str>) -> Message {
    let mut rows: Vec<Vec<InlineButton>> = members
        .iter()
        .map(|(member, own)| {
            let mut label = member.name.as_str().to_owned();
            if let Some(d) = own.duration.filter(|d| *d != service.duration) {
                label = format!("{label} · {}", fill(t.minutes, &[("n", &d.minutes().to_string())]));
            }
            if let Some(p) = own.price.filter(|p| Some(*p) != service.price) {
                label = format!("{label} · {}", price(t, Some(p)));
            }
            vec![button(label, Action::Staff { service: service.id, pick: Pick::One(member.id) })]
        })
        .collect();
    rows.push(vec![button(t.any_staff, Action::Staff { service: service.id, pick: Pick::Any })]);
    rows.push(vec![button(t.back, Action::Services), button(t.to_menu, Action::Menu)]);
    let body = fill(t.choose_staff, &[("service", service.name.as_str())]);
    Message::inline(heading.map_or(body.clone(), |h| format!("{h}\n\n{body}")), rows)
}

/// What a booking is for, as headings show it: the service, and the staff member when one was chosen.
pub fn what(service: &Service, staff: Option<&StaffMember>) -> String {
    match staff {
        Some(member) => format!("{} · {}", service.name.as_str(), member.name.as_str()),
        None => service.name.as_str().to_owned(),
    }
}

/// A month of days: those with free times are numbers that open the day, the rest inert dots.
#[allow(clippy::too_many_arguments)] // the month, where it may go, and the way back
pub fn calendar(
    t: &Texts,
    flow: Flow,
    pick: Pick,
    what: &str,
    first: Date,
    bookable: &BTreeSet<Date>,
    can_go_back: bool,
    can_go_on: bool,
    back: Action,
) -> Message {
    let month_action = |d: Date| flow.month(pick, d);
    let mut rows = Vec::new();
    let previous = first.checked_sub(jiff::ToSpan::months(1)).ok().filter(|_| can_go_back);
    let next = first.checked_add(jiff::ToSpan::months(1)).ok().filter(|_| can_go_on);
    rows.push(vec![
        previous.map_or_else(|| button(" ", Action::Noop), |d| button("‹", month_action(d))),
        button(format!("{} {}", t.months[usize::try_from(first.month() - 1).unwrap_or(0)], first.year()), Action::Noop),
        next.map_or_else(|| button(" ", Action::Noop), |d| button("›", month_action(d))),
    ]);
    rows.push(t.weekdays.iter().map(|w| button(*w, Action::Noop)).collect());
    let lead = usize::try_from(first.weekday().to_monday_zero_offset()).unwrap_or(0);
    let mut week: Vec<InlineButton> = (0..lead).map(|_| button(" ", Action::Noop)).collect();
    for day in 1..=first.days_in_month() {
        let date = first.with().day(day).build().unwrap_or(first);
        week.push(if bookable.contains(&date) {
            button(day.to_string(), flow.day(pick, date))
        } else {
            button("·", Action::Noop)
        });
        if week.len() == 7 {
            rows.push(std::mem::take(&mut week));
        }
    }
    if !week.is_empty() {
        week.resize_with(7, || button(" ", Action::Noop));
        rows.push(week);
    }
    rows.push(vec![button(t.back, back), button(t.to_menu, Action::Menu)]);
    let mut text = fill(t.choose_day, &[("service", what)]);
    if bookable.is_empty() {
        text = format!("{text}\n\n{}", t.no_days_this_month);
    }
    Message::inline(text, rows)
}

/// The free start times of a day, four to a row.
#[allow(clippy::too_many_arguments)] // the day, whose times, and what the heading says
pub fn times(
    t: &Texts,
    tz: &BusinessTime,
    flow: Flow,
    pick: Pick,
    what: &str,
    day: Date,
    free: &[Timestamp],
    heading: Option<&str>,
) -> Message {
    let mut rows: Vec<Vec<InlineButton>> = free
        .chunks(4)
        .map(|chunk| chunk.iter().map(|at| button(time(tz, *at), flow.time(pick, *at))).collect())
        .collect();
    rows.push(vec![button(t.back, flow.month(pick, day.first_of_month())), button(t.to_menu, Action::Menu)]);
    let body = if free.is_empty() {
        t.day_full.to_owned()
    } else {
        fill(t.choose_time, &[("service", what), ("date", &date(t, day))])
    };
    let text = heading.map_or(body.clone(), |h| format!("{h}\n\n{body}"));
    Message::inline(text, rows)
}

/// What the client is about to book, to confirm.
pub struct Summary<'a> {
    pub service: &'a Service,
    pub pick: Pick,
    /// The staff member's name, or "anyone free".
    pub staff: &'a str,
    pub at: Timestamp,
    pub until: Timestamp,
    pub price: String,
}

pub fn summary(t: &Texts, tz: &BusinessTime, s: &Summary<'_>) -> Message {
    let day = tz.local(s.at).date();
    let text = fill(
        t.summary,
        &[
            ("service", s.service.name.as_str()),
            ("staff", s.staff),
            ("date", &date(t, day)),
            ("from", &time(tz, s.at)),
            ("to", &time(tz, s.until)),
            ("price", &s.price),
        ],
    );
    let (service, pick) = (s.service.id, s.pick);
    Message::inline(
        text,
        vec![
            vec![button(t.confirm, Action::Book { service, pick, at: s.at }), button(t.cancel, Action::Menu)],
            vec![button(t.back, Action::Day { service, pick, date: day })],
        ],
    )
}

/// A booking as it is now, for the move's headings: "Вт 03.03.2026 о 10:00".
pub fn when(t: &Texts, tz: &BusinessTime, at: Timestamp) -> String {
    fill(t.date_at_time, &[("date", &date(t, tz.local(at).date())), ("time", &time(tz, at))])
}

/// Moving a booking: with the same staff member, or with anyone free.
pub fn move_staff(t: &Texts, appointment: AppointmentId, heading: &str, same: &StaffMember) -> Message {
    let with = |pick| Action::MoveWith { appointment, pick };
    Message::inline(
        format!("{heading}\n\n{}", t.move_choose_staff),
        vec![
            vec![button(same.name.as_str(), with(Pick::One(same.id)))],
            vec![button(t.any_staff, with(Pick::Any))],
            vec![button(t.back, Action::MyBookings), button(t.to_menu, Action::Menu)],
        ],
    )
}

/// What the client is about to move, old → new, to confirm.
pub struct MoveSummary<'a> {
    pub appointment: AppointmentId,
    pub pick: Pick,
    pub service: &'a str,
    /// The staff member's name (the one the booking goes to, or "anyone free").
    pub staff: &'a str,
    pub before: String,
    pub at: Timestamp,
    pub until: Timestamp,
}

pub fn move_summary(t: &Texts, tz: &BusinessTime, s: &MoveSummary<'_>) -> Message {
    let day = tz.local(s.at).date();
    let text = fill(
        t.move_summary,
        &[
            ("service", s.service),
            ("staff", s.staff),
            ("before", &s.before),
            ("date", &date(t, day)),
            ("from", &time(tz, s.at)),
            ("to", &time(tz, s.until)),
        ],
    );
    let (appointment, pick, at) = (s.appointment, s.pick, s.at);
    Message::inline(
        text,
        vec![
            vec![
                button(t.move_confirm, Action::MoveTo { appointment, pick, at }),
                button(t.cancel, Action::MyBookings),
            ],
            vec![button(t.back, Action::MoveDay { appointment, pick, date: day })],
        ],
    )
}
