//! The messages and keyboards the bot shows. Pure functions of the data.

use std::collections::BTreeSet;

use jiff::Timestamp;
use jiff::civil::Date;
use zapys_domain::time::format_time;
use zapys_domain::{BusinessTime, Price, Service, SlotId};

use crate::callback::Action;
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

pub fn services(t: &Texts, services: &[Service]) -> Message {
    let mut rows: Vec<Vec<InlineButton>> = services
        .iter()
        .map(|s| {
            let minutes = fill(t.minutes, &[("n", &s.duration.minutes().to_string())]);
            let label = match s.price {
                Some(_) => format!("{} · {minutes} · {}", s.name.as_str(), price(t, s.price)),
                None => format!("{} · {minutes}", s.name.as_str()),
            };
            vec![button(label, Action::Service(s.id))]
        })
        .collect();
    rows.push(vec![button(t.to_menu, Action::Menu)]);
    Message::inline(t.choose_service, rows)
}

/// A month of days: those with free times are numbers that open the day, the rest inert dots.
pub fn calendar(
    t: &Texts,
    service: &Service,
    first: Date,
    bookable: &BTreeSet<Date>,
    can_go_back: bool,
    can_go_on: bool,
) -> Message {
    let id = service.id;
    let month_action = |d: Date| Action::Month { service: id, year: d.year(), month: d.month() };
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
            button(day.to_string(), Action::Day { service: id, date })
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
    rows.push(vec![button(t.back, Action::Services), button(t.to_menu, Action::Menu)]);
    let mut text = fill(t.choose_day, &[("service", service.name.as_str())]);
    if bookable.is_empty() {
        text = format!("{text}\n\n{}", t.no_days_this_month);
    }
    Message::inline(text, rows)
}

/// The free start times of a day, four to a row.
pub fn times(
    t: &Texts,
    tz: &BusinessTime,
    service: &Service,
    day: Date,
    free: &[(SlotId, Timestamp)],
    heading: Option<&str>,
) -> Message {
    let mut rows: Vec<Vec<InlineButton>> = free
        .chunks(4)
        .map(|chunk| {
            chunk
                .iter()
                .map(|(slot, at)| button(time(tz, *at), Action::Time { service: service.id, slot: *slot }))
                .collect()
        })
        .collect();
    let first = day.first_of_month();
    rows.push(vec![
        button(t.back, Action::Month { service: service.id, year: first.year(), month: first.month() }),
        button(t.to_menu, Action::Menu),
    ]);
    let body = if free.is_empty() {
        t.day_full.to_owned()
    } else {
        fill(t.choose_time, &[("service", service.name.as_str()), ("date", &date(t, day))])
    };
    let text = heading.map_or(body.clone(), |h| format!("{h}\n\n{body}"));
    Message::inline(text, rows)
}

pub fn summary(t: &Texts, tz: &BusinessTime, service: &Service, slot: SlotId, at: Timestamp) -> Message {
    let day = tz.local(at).date();
    let text = fill(
        t.summary,
        &[
            ("service", service.name.as_str()),
            ("date", &date(t, day)),
            ("from", &time(tz, at)),
            ("to", &time(tz, at + service.duration.span())),
            ("price", &price(t, service.price)),
        ],
    );
    Message::inline(
        text,
        vec![
            vec![button(t.confirm, Action::Book { service: service.id, slot }), button(t.cancel, Action::Menu)],
            vec![button(t.back, Action::Day { service: service.id, date: day })],
        ],
    )
}
