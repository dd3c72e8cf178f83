//! Everything the bot says, one catalogue per language. Templates use
//! `{name}` placeholders filled by [`fill`]; no text lives anywhere else.

use zapys_domain::Language;

pub struct Texts {
    pub menu_book: &'static str,
    pub menu_my: &'static str,
    pub menu_profile: &'static str,
    pub menu_contacts: &'static str,
    pub greeting_new: &'static str,
    pub greeting_back: &'static str,
    pub ask_name: &'static str,
    pub bad_name: &'static str,
    pub ask_phone: &'static str,
    pub share_phone: &'static str,
    pub bad_phone: &'static str,
    pub not_own_contact: &'static str,
    pub registered: &'static str,
    pub not_understood: &'static str,
    pub menu_prompt: &'static str,
    pub choose_service: &'static str,
    pub no_free_times: &'static str,
    pub service_unavailable: &'static str,
    pub choose_day: &'static str,
    pub no_days_this_month: &'static str,
    pub choose_time: &'static str,
    pub day_full: &'static str,
    pub summary: &'static str,
    pub confirm: &'static str,
    pub cancel: &'static str,
    pub back: &'static str,
    pub to_menu: &'static str,
    pub booked_pending: &'static str,
    pub booked_confirmed: &'static str,
    pub already_booked: &'static str,
    pub just_taken: &'static str,
    pub time_gone: &'static str,
    pub limit_reached: &'static str,
    pub price: &'static str,
    pub free: &'static str,
    pub minutes: &'static str,
    pub my_empty: &'static str,
    pub my_title: &'static str,
    pub my_item: &'static str,
    pub status_pending: &'static str,
    pub status_confirmed: &'static str,
    /// The client's answer to a reminder of a booking the business wants confirmed.
    pub attend: &'static str,
    pub cancel_item: &'static str,
    pub ask_cancel: &'static str,
    pub yes_cancel: &'static str,
    pub no_keep: &'static str,
    pub cancelled: &'static str,
    pub confirmed: &'static str,
    pub not_found: &'static str,
    pub not_active: &'static str,
    pub profile: &'static str,
    pub language_name: &'static str,
    pub edit_name: &'static str,
    pub edit_phone: &'static str,
    pub switch_language: &'static str,
    pub erase: &'static str,
    pub ask_new_name: &'static str,
    pub ask_new_phone: &'static str,
    pub saved: &'static str,
    pub ask_erase: &'static str,
    pub yes_erase: &'static str,
    pub erased: &'static str,
    pub contacts: &'static str,
    pub unknown: &'static str,
    pub failure: &'static str,
    pub admin_new_booking: &'static str,
    pub reminder: &'static str,
    pub reminder_pending: &'static str,
    pub notice_confirmed: &'static str,
    pub notice_cancelled: &'static str,
    pub notice_reason: &'static str,
    pub reason_time_withdrawn: &'static str,
    pub reason_not_confirmed: &'static str,
    pub reason_erased: &'static str,
    pub notice_moved: &'static str,
    pub notice_thanks: &'static str,
    pub admin_client_cancelled: &'static str,
    pub choose_staff: &'static str,
    pub any_staff: &'static str,
    pub anyone_free: &'static str,
    pub staff_unavailable: &'static str,
    pub repeat_offer: &'static str,
    pub repeat_time: &'static str,
    pub staff_booked: &'static str,
    pub staff_moved: &'static str,
    pub staff_cancelled: &'static str,
    pub staff_reassigned: &'static str,
    pub weekdays: [&'static str; 7],
    pub months: [&'static str; 12],
    /// The language's quotation marks, around a name that brings none of its own.
    pub quotes: (&'static str, &'static str),
    // --- comeback ---
    pub rebook_nudge: &'static str,
    pub rebook_nudge_no_times: &'static str,
    pub rebook_other_day: &'static str,
    pub rebook_opt_out: &'static str,
    pub rebook_opt_in: &'static str,
    pub rebook_opted_out: &'static str,
    pub rebook_opted_in: &'static str,
    pub profile_nudges_on: &'static str,
    pub profile_nudges_off: &'static str,
    pub rating_request: &'static str,
    pub rating_thanks: &'static str,
    pub rating_already: &'static str,
    pub rating_not_yours: &'static str,
}

pub const UK: Texts = Texts {
    menu_book: "Записатись",
    menu_my: "Мої записи",
    menu_profile: "Профіль",
    menu_contacts: "Контакти",
    greeting_new: "Вітаємо! Це бот {business}: тут можна записатися на послуги й керувати своїми записами.",
    greeting_back: "З поверненням, {name}! Оберіть дію в меню.",
    ask_name: "Як до вас звертатися? Напишіть, будь ласка, ім'я та прізвище.",
    bad_name: "Ім'я має містити від 1 до 100 символів. Напишіть, будь ласка, ще раз.",
    ask_phone: "Дякую, {name}! Тепер поділіться номером телефону кнопкою нижче або напишіть його, наприклад +380671234567.",
    share_phone: "📱 Поділитися номером",
    bad_phone: "Це не схоже на номер телефону. Напишіть його у форматі +380671234567 або натисніть кнопку нижче.",
    not_own_contact: "Будь ласка, поділіться власним номером — кнопкою нижче.",
    registered: "Готово, {name}, ви зареєстровані! Оберіть дію в меню.",
    not_understood: "Вибачте, я не зрозумів. Будь ласка, оберіть дію в меню.",
    menu_prompt: "Головне меню. Оберіть дію:",
    choose_service: "Оберіть послугу:",
    no_free_times: "На жаль, зараз немає вільного часу для запису. Спробуйте пізніше або зателефонуйте нам.",
    service_unavailable: "Ця послуга зараз недоступна для запису. Оберіть іншу:",
    choose_day: "{service}\nОберіть день — дні з вільним часом позначено числом:",
    no_days_this_month: "У цьому місяці вільного часу немає — перегляньте наступний.",
    choose_time: "{service}, {date}\nОберіть час:",
    day_full: "На цей день вільного часу вже немає. Оберіть інший день:",
    summary: "Перевірте, будь ласка:\n\nПослуга: {service}\nМайстер: {staff}\nДата: {date}\nЧас: {from}–{to}\nЦіна: {price}",
    confirm: "✅ Підтвердити",
    cancel: "✖️ Скасувати",
    back: "‹ Назад",
    to_menu: "До меню",
    booked_pending: "Ви записані: {service}, {date} о {time}, майстер: {staff}.\nСтатус: очікує підтвердження — ми повідомимо вас.",
    booked_confirmed: "Ви записані: {service}, {date} о {time}, майстер: {staff}.\nСтатус: підтверджено. Чекаємо на вас!",
    already_booked: "Цей запис уже зроблено: {service}, {date} о {time}.",
    just_taken: "На жаль, цей час щойно зайняли. Ось вільний час цього дня:",
    time_gone: "Цей час уже недоступний. Ось вільний час цього дня:",
    limit_reached: "У вас уже {max} активних записи — це максимум. Скасуйте один із них у «Мої записи», щоб записатися ще.",
    price: "{amount} грн",
    free: "безкоштовно",
    minutes: "{n} хв",
    my_empty: "У вас немає запланованих записів. Натисніть «Записатись», щоб обрати час.",
    my_title: "Ваші записи:",
    my_item: "{n}. {service} — {staff}\n    {date}, {from}–{to}\n    {status}",
    status_pending: "⏳ очікує підтвердження",
    status_confirmed: "✅ підтверджено",
    attend: "👍 Я прийду",
    cancel_item: "✖️ Скасувати №{n}",
    ask_cancel: "Скасувати запис?\n{service} — {staff}, {date}, {from}–{to}",
    yes_cancel: "Так, скасувати",
    no_keep: "Ні, залишити",
    cancelled: "Запис скасовано: {service}, {date} о {time}.",
    confirmed: "Запис підтверджено: {service}, {date} о {time}.",
    not_found: "Такого запису не знайдено.",
    not_active: "Цей запис уже не активний.",
    profile: "Ваш профіль\nІм'я: {name}\nТелефон: {phone}\nМова: {language}",
    language_name: "українська",
    edit_name: "✏️ Змінити ім'я",
    edit_phone: "📞 Змінити телефон",
    switch_language: "🇬🇧 English",
    erase: "🗑 Видалити мої дані",
    ask_new_name: "Напишіть, будь ласка, нове ім'я:",
    ask_new_phone: "Надішліть новий номер кнопкою нижче або напишіть його:",
    saved: "Збережено.",
    ask_erase: "Видалити ваші дані? Ім'я й телефон буде стерто, майбутні записи — скасовано. Цю дію не можна скасувати.",
    yes_erase: "Так, видалити",
    erased: "Ваші дані видалено. Щоб записатися знову, натисніть /start.",
    contacts: "{business}\n📍 {address}\n📞 {phone}\n🕘 {hours}",
    unknown: "—",
    failure: "Щось пішло не так. Спробуйте, будь ласка, ще раз трохи пізніше.",
    reminder: "🔔 Нагадуємо про ваш запис: {service}, {date} о {time}, майстер: {staff}.",
    reminder_pending: "Запис ще очікує підтвердження: натисніть «Я прийду» або скасуйте його, якщо плани змінилися.",
    notice_confirmed: "✅ Ваш запис підтверджено: {service}, {date} о {time}, майстер: {staff}. Чекаємо на вас!",
    notice_cancelled: "❌ На жаль, ваш запис скасовано: {service}, {date} о {time}, майстер: {staff}.",
    notice_reason: "Причина: {reason}",
    reason_time_withdrawn: "цей час більше не доступний для запису",
    reason_not_confirmed: "запис не було підтверджено вчасно",
    reason_erased: "дані клієнта видалено",
    notice_moved: "🔁 Ваш запис перенесено: {service}, тепер {date} о {time}, майстер: {staff} (було: {before}).",
    notice_thanks: "Дякуємо, що завітали до нас! Будемо раді бачити вас знову.",
    admin_new_booking: "🆕 Новий запис у боті: {client}, {phone}\n{service} ({staff}): {date}, {from}–{to}",
    admin_client_cancelled: "❌ Клієнт скасував запис: {client}, {phone}\n{service} ({staff}): {date}, {from}–{to}",
    choose_staff: "{service}\nОберіть майстра:",
    any_staff: "👥 Будь-хто",
    anyone_free: "будь-хто вільний",
    staff_unavailable: "Цей майстер зараз не записує на цю послугу. Оберіть, будь ласка, з наявних:",
    repeat_offer: "🔁 Записатись знову: {service} — {staff}. Найближчий вільний час — перші кнопки нижче.",
    repeat_time: "{date} {time}",
    staff_booked: "🆕 Новий запис до вас: {client}, {phone}\n{service}: {date}, {from}–{to}",
    staff_moved: "🔁 Ваш запис перенесено: {client}, {phone}\n{service}: тепер {date}, {from}–{to} (було: {before})",
    staff_cancelled: "❌ Запис скасовано: {client}, {phone}\n{service}: {date}, {from}–{to}",
    staff_reassigned: "↪️ Запис передано іншому майстру: {client}, {phone}\n{service}: {date}, {from}–{to}",
    weekdays: ["Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Нд"],
    months: [
        "Січень",
        "Лютий",
        "Березень",
        "Квітень",
        "Травень",
        "Червень",
        "Липень",
        "Серпень",
        "Вересень",
        "Жовтень",
        "Листопад",
        "Грудень",
    ],
    quotes: ("«", "»"),
    // --- comeback ---
    rebook_nudge: "Привіт! Минуло вже трохи часу після «{service}» ({staff}). Можливо, час записатися знову? \
                   Найближчий вільний час — на кнопках нижче.",
    rebook_nudge_no_times: "Привіт! Минуло вже трохи часу після «{service}» ({staff}). Можливо, час записатися \
                            знову? Оберіть зручний день.",
    rebook_other_day: "📅 Інший день",
    rebook_opt_out: "🔕 Не нагадувати",
    rebook_opt_in: "🔔 Нагадувати записатися знову",
    rebook_opted_out: "Добре, більше не нагадуватимемо записатися знову. Увімкнути можна у «Профілі».",
    rebook_opted_in: "Нагадування записатися знову увімкнено.",
    profile_nudges_on: "Нагадування записатися знову: увімкнено",
    profile_nudges_off: "Нагадування записатися знову: вимкнено",
    rating_request: "Як вам «{service}» ({staff}) {date}? Оцініть, будь ласка, від 1 до 5 зірок.",
    rating_thanks: "Дякуємо за оцінку! {stars}",
    rating_already: "Ви вже оцінили цей візит.",
    rating_not_yours: "Цей візит не можна оцінити.",
};

pub const EN: Texts = Texts {
    menu_book: "Book",
    menu_my: "My bookings",
    menu_profile: "Profile",
    menu_contacts: "Contacts",
    greeting_new: "Welcome! This is the bot of {business}: book services and manage your bookings here.",
    greeting_back: "Welcome back, {name}! Choose from the menu.",
    ask_name: "What is your name? Please write your first and last name.",
    bad_name: "A name has 1 to 100 characters. Please write it again.",
    ask_phone: "Thank you, {name}! Now share your phone number with the button below, or type it, e.g. +380671234567.",
    share_phone: "📱 Share my number",
    bad_phone: "That does not look like a phone number. Type it like +380671234567 or use the button below.",
    not_own_contact: "Please share your own number with the button below.",
    registered: "Done, {name}, you are registered! Choose from the menu.",
    not_understood: "Sorry, I did not understand. Please choose from the menu.",
    menu_prompt: "Main menu. Choose an action:",
    choose_service: "Choose a service:",
    no_free_times: "Sorry, there are no free times to book right now. Please try later or call us.",
    service_unavailable: "This service cannot be booked now. Please choose another:",
    choose_day: "{service}\nChoose a day — days with free times show their number:",
    no_days_this_month: "No free times this month — have a look at the next one.",
    choose_time: "{service}, {date}\nChoose a time:",
    day_full: "There are no free times left that day. Please choose another day:",
    summary: "Please check:\n\nService: {service}\nStaff member: {staff}\nDate: {date}\nTime: {from}–{to}\nPrice: {price}",
    confirm: "✅ Confirm",
    cancel: "✖️ Cancel",
    back: "‹ Back",
    to_menu: "Menu",
    booked_pending: "You are booked: {service}, {date} at {time}, with {staff}.\nStatus: awaiting confirmation — we will let you know.",
    booked_confirmed: "You are booked: {service}, {date} at {time}, with {staff}.\nStatus: confirmed. See you then!",
    already_booked: "This booking is already made: {service}, {date} at {time}.",
    just_taken: "Sorry, this time was just taken. Here are the free times of that day:",
    time_gone: "This time is no longer available. Here are the free times of that day:",
    limit_reached: "You already have {max} active bookings, the most allowed. Cancel one in “My bookings” to book another.",
    price: "{amount} UAH",
    free: "free",
    minutes: "{n} min",
    my_empty: "You have no upcoming bookings. Press “Book” to choose a time.",
    my_title: "Your bookings:",
    my_item: "{n}. {service} — {staff}\n    {date}, {from}–{to}\n    {status}",
    status_pending: "⏳ awaiting confirmation",
    status_confirmed: "✅ confirmed",
    attend: "👍 I'll be there",
    cancel_item: "✖️ Cancel #{n}",
    ask_cancel: "Cancel this booking?\n{service} — {staff}, {date}, {from}–{to}",
    yes_cancel: "Yes, cancel",
    no_keep: "No, keep it",
    cancelled: "Booking cancelled: {service}, {date} at {time}.",
    confirmed: "Booking confirmed: {service}, {date} at {time}.",
    not_found: "No such booking was found.",
    not_active: "This booking is no longer active.",
    profile: "Your profile\nName: {name}\nPhone: {phone}\nLanguage: {language}",
    language_name: "English",
    edit_name: "✏️ Change name",
    edit_phone: "📞 Change phone",
    switch_language: "🇺🇦 Українська",
    erase: "🗑 Delete my data",
    ask_new_name: "Please write your new name:",
    ask_new_phone: "Send your new number with the button below, or type it:",
    saved: "Saved.",
    ask_erase: "Delete your data? Your name and phone will be erased and future bookings cancelled. This cannot be undone.",
    yes_erase: "Yes, delete",
    erased: "Your data has been deleted. To book again, press /start.",
    contacts: "{business}\n📍 {address}\n📞 {phone}\n🕘 {hours}",
    unknown: "—",
    failure: "Something went wrong. Please try again a little later.",
    reminder: "🔔 A reminder of your booking: {service}, {date} at {time}, with {staff}.",
    reminder_pending: "It still awaits confirmation: press “I'll be there”, or cancel it if your plans changed.",
    notice_confirmed: "✅ Your booking is confirmed: {service}, {date} at {time}, with {staff}. See you then!",
    notice_cancelled: "❌ Sorry, your booking was cancelled: {service}, {date} at {time}, with {staff}.",
    notice_reason: "Reason: {reason}",
    reason_time_withdrawn: "this time is no longer available",
    reason_not_confirmed: "the booking was not confirmed in time",
    reason_erased: "the client's data was erased",
    notice_moved: "🔁 Your booking was moved: {service}, now {date} at {time}, with {staff} (was: {before}).",
    notice_thanks: "Thank you for your visit! We look forward to seeing you again.",
    admin_new_booking: "🆕 New booking in the bot: {client}, {phone}\n{service} ({staff}): {date}, {from}–{to}",
    admin_client_cancelled: "❌ A client cancelled: {client}, {phone}\n{service} ({staff}): {date}, {from}–{to}",
    choose_staff: "{service}\nChoose a staff member:",
    any_staff: "👥 Any available",
    anyone_free: "any available staff member",
    staff_unavailable: "This staff member is not taking this service now. Please choose from those available:",
    repeat_offer: "🔁 Book again: {service} with {staff}. The nearest free times are the first buttons below.",
    repeat_time: "{date} {time}",
    staff_booked: "🆕 A new booking with you: {client}, {phone}\n{service}: {date}, {from}–{to}",
    staff_moved: "🔁 Your booking was moved: {client}, {phone}\n{service}: now {date}, {from}–{to} (was: {before})",
    staff_cancelled: "❌ A booking was cancelled: {client}, {phone}\n{service}: {date}, {from}–{to}",
    staff_reassigned: "↪️ A booking was given to another staff member: {client}, {phone}\n{service}: {date}, {from}–{to}",
    weekdays: ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"],
    months: [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    quotes: ("“", "”"),
    // --- comeback ---
    rebook_nudge: "Hi! It has been a while since your {service} with {staff}. Time to book again? \
                   The nearest free times are on the buttons below.",
    rebook_nudge_no_times: "Hi! It has been a while since your {service} with {staff}. Time to book again? \
                            Choose a day that suits you.",
    rebook_other_day: "📅 Another day",
    rebook_opt_out: "🔕 Don't remind me",
    rebook_opt_in: "🔔 Remind me to book again",
    rebook_opted_out: "All right, no more reminders to book again. You can turn them back on in Profile.",
    rebook_opted_in: "Reminders to book again are on.",
    profile_nudges_on: "Reminders to book again: on",
    profile_nudges_off: "Reminders to book again: off",
    rating_request: "How was your {service} with {staff} on {date}? Please rate it from 1 to 5 stars.",
    rating_thanks: "Thank you for your rating! {stars}",
    rating_already: "You have rated this visit already.",
    rating_not_yours: "This visit cannot be rated.",
};

pub fn texts(language: Language) -> &'static Texts {
    match language {
        Language::Uk => &UK,
        Language::En => &EN,
    }
}

impl Texts {
    /// A name in quotation marks, unless it has its own: «Весна», but not «Салон «Весна»».
    pub fn quoted(&self, name: &str) -> String {
        if name.contains(['«', '»', '"', '“', '”', '„']) {
            name.to_owned()
        } else {
            format!("{}{name}{}", self.quotes.0, self.quotes.1)
        }
    }
}

/// Fills `{key}` placeholders.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut text = template.to_owned();
    for (key, value) in values {
        text = text.replace(&format!("{{{key}}}"), value);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn menu_buttons_differ_between_languages_and_from_each_other() {
        let labels = [
            UK.menu_book,
            UK.menu_my,
            UK.menu_profile,
            UK.menu_contacts,
            EN.menu_book,
            EN.menu_my,
            EN.menu_profile,
            EN.menu_contacts,
        ];
        for (i, a) in labels.iter().enumerate() {
            for b in &labels[i + 1..] {
                assert_ne!(a, b);
            }
        }
    }

    #[test]
    fn a_name_with_its_own_quotes_is_not_quoted_again() {
        assert_eq!(UK.quoted("Весна"), "«Весна»");
        assert_eq!(UK.quoted("Салон краси «Весна»"), "Салон краси «Весна»");
        assert_eq!(EN.quoted("Vesna"), "“Vesna”");
        assert_eq!(EN.quoted("Salon \"Vesna\""), "Salon \"Vesna\"");
    }

    #[test]
    fn both_catalogues_use_the_same_placeholders() {
        fn placeholders(text: &str) -> Vec<&str> {
            let mut found: Vec<&str> =
                text.split('{').skip(1).filter_map(|s| s.split_once('}').map(|(k, _)| k)).collect();
            found.sort_unstable();
            found
        }
        let pairs = [
            (UK.greeting_new, EN.greeting_new),
            (UK.ask_phone, EN.ask_phone),
            (UK.summary, EN.summary),
            (UK.booked_pending, EN.booked_pending),
            (UK.my_item, EN.my_item),
            (UK.profile, EN.profile),
            (UK.contacts, EN.contacts),
            (UK.limit_reached, EN.limit_reached),
            (UK.cancelled, EN.cancelled),
            (UK.booked_confirmed, EN.booked_confirmed),
            (UK.ask_cancel, EN.ask_cancel),
            (UK.reminder, EN.reminder),
            (UK.notice_confirmed, EN.notice_confirmed),
            (UK.notice_cancelled, EN.notice_cancelled),
            (UK.notice_moved, EN.notice_moved),
            (UK.admin_new_booking, EN.admin_new_booking),
            (UK.admin_client_cancelled, EN.admin_client_cancelled),
            (UK.choose_staff, EN.choose_staff),
            (UK.repeat_offer, EN.repeat_offer),
            (UK.repeat_time, EN.repeat_time),
            (UK.staff_booked, EN.staff_booked),
            (UK.staff_moved, EN.staff_moved),
            (UK.staff_cancelled, EN.staff_cancelled),
            (UK.staff_reassigned, EN.staff_reassigned),
            // --- comeback ---
            (UK.rebook_nudge, EN.rebook_nudge),
            (UK.rebook_nudge_no_times, EN.rebook_nudge_no_times),
            (UK.rating_request, EN.rating_request),
            (UK.rating_thanks, EN.rating_thanks),
        ];
        for (uk, en) in pairs {
            assert_eq!(placeholders(uk), placeholders(en), "{uk} / {en}");
        }
    }

    #[test]
    fn fill_replaces_every_placeholder() {
        assert_eq!(fill("{a} and {b} and {a}", &[("a", "1"), ("b", "2")]), "1 and 2 and 1");
    }
}
