//! How a CSV file reads in the spreadsheet of the person who opens it: an English file with
//! commas for integrations (the default), or, for Ukrainian Excel, semicolons (its list separator,
//! since the decimal separator is a comma), Ukrainian headers and words, and decimal commas.
//! The import reads both, so a file exported in either form comes back in.

use serde::Deserialize;
use utoipa::IntoParams;
use zapys_domain::Language;

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CsvFormat {
    /// The language of the headers and of words like statuses: `en` (default) or `uk`.
    #[param(value_type = Option<String>, pattern = "^(en|uk)$")]
    pub lang: Option<String>,
    /// `comma` (default) or `semicolon` (Excel in Ukrainian and most European locales).
    #[param(value_type = Option<String>, pattern = "^(comma|semicolon)$")]
    pub delimiter: Option<String>,
}

/// A parsed [`CsvFormat`].
#[derive(Debug, Clone, Copy)]
pub struct Dialect {
    pub language: Language,
    pub delimiter: u8,
}

impl CsvFormat {
    pub fn dialect(&self) -> Result<Dialect, zapys_domain::InvalidValue> {
        let language = match self.lang.as_deref() {
            None | Some("en") => Language::En,
            Some("uk") => Language::Uk,
            Some(other) => {
                return Err(zapys_domain::InvalidValue::new(format!("lang must be en or uk, not '{other}'")));
            }
        };
        let delimiter = match self.delimiter.as_deref() {
            None | Some("comma") => b',',
            Some("semicolon") => b';',
            Some(other) => {
                return Err(zapys_domain::InvalidValue::new(format!(
                    "delimiter must be comma or semicolon, not '{other}'"
                )));
            }
        };
        Ok(Dialect { language, delimiter })
    }
}

/// One column: its name for integrations (the API's field name) and for Ukrainian readers.
pub struct Column {
    pub en: &'static str,
    pub uk: &'static str,
    /// Other names people give this column, read by the import (lowercase).
    pub aliases: &'static [&'static str],
}

impl Column {
    pub fn name(&self, language: Language) -> &'static str {
        match language {
            Language::En => self.en,
            Language::Uk => self.uk,
        }
    }

    /// Whether a header cell names this column, in either language, any case, spaces or underscores.
    pub fn matches(&self, header: &str) -> bool {
        let norm =
            |s: &str| s.trim().to_lowercase().replace(['_', ' ', '\u{2019}', '\u{02bc}', '`'], "").replace('\'', "");
        let header = norm(header);
        !header.is_empty()
            && (header == norm(self.en) || header == norm(self.uk) || self.aliases.iter().any(|a| header == norm(a)))
    }
}

pub const NAME: Column =
    Column {
        en: "name", uk: "Ім'я", aliases: &["ім'я та прізвище", "піб", "клієнт", "client", "full name"]
    };
pub const PHONE: Column =
    Column {
        en: "phone", uk: "Телефон", aliases: &["номер", "номер телефону", "phone number", "мобільний"]
    };
pub const TELEGRAM_ID: Column =
    Column { en: "telegram_id", uk: "Telegram ID", aliases: &["телеграм", "telegram", "телеграм id"] };
pub const LANGUAGE: Column = Column { en: "language", uk: "Мова", aliases: &["lang"] };
pub const CREATED_AT: Column = Column { en: "created_at", uk: "Створено", aliases: &[] };

/// The appointment export's columns, in order.
pub const APPOINTMENT_COLUMNS: [Column; 14] = [
    Column { en: "id", uk: "№", aliases: &[] },
    Column { en: "client", uk: "Клієнт", aliases: &[] },
    Column { en: "phone", uk: "Телефон", aliases: &[] },
    Column { en: "service", uk: "Послуга", aliases: &[] },
    Column { en: "staff", uk: "Майстер", aliases: &[] },
    Column { en: "start", uk: "Початок", aliases: &[] },
    Column { en: "end", uk: "Кінець", aliases: &[] },
    Column { en: "status", uk: "Статус", aliases: &[] },
    Column { en: "source", uk: "Джерело", aliases: &[] },
    Column { en: "price", uk: "Ціна, грн", aliases: &[] },
    Column { en: "notes", uk: "Нотатки", aliases: &[] },
    Column { en: "cancel_reason", uk: "Причина скасування", aliases: &[] },
    Column { en: "cancelled_by", uk: "Хто скасував", aliases: &[] },
    Column { en: "created_at", uk: "Створено", aliases: &[] },
];

/// A status, source, actor or language name as a Ukrainian reader says it; English keeps the API's word.
pub fn word(language: Language, name: &str) -> String {
    if language == Language::En {
        return name.to_owned();
    }
    match name {
        "pending" => "Очікує підтвердження",
        "confirmed" => "Підтверджено",
        "completed" => "Виконано",
        "cancelled" => "Скасовано",
        "no_show" => "Не прийшов",
        "bot" => "Бот",
        "admin" => "Адміністратор",
        "api" => "API",
        "client" => "Клієнт",
        "system" => "Система",
        "uk" => "українська",
        "en" => "англійська",
        other => other,
    }
    .to_owned()
}

/// A language cell of an import: a code, or the word an export in either language wrote.
pub fn language(cell: &str) -> Option<Language> {
    match cell.trim().to_lowercase().as_str() {
        "" | "uk" | "українська" | "ukrainian" => Some(Language::Uk),
        "en" | "англійська" | "english" => Some(Language::En),
        _ => None,
    }
}

/// An amount with two decimals, with the reader's decimal separator.
pub fn amount(language: Language, value: f64) -> String {
    let text = format!("{value:.2}");
    if language == Language::Uk { text.replace('.', ",") } else { text }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_read_in_either_language_and_common_spellings() {
        for header in ["name", "Name", " NAME ", "Ім'я", "ім’я", "імʼя", "ПІБ", "Ім'я та прізвище"]
        {
            assert!(NAME.matches(header), "{header}");
        }
        for header in ["phone", "Телефон", "телефон", "Номер телефону"] {
            assert!(PHONE.matches(header), "{header}");
        }
        for header in ["telegram_id", "Telegram ID", "telegram id", "Телеграм"] {
            assert!(TELEGRAM_ID.matches(header), "{header}");
        }
        assert!(!NAME.matches("phone") && !NAME.matches("") && !PHONE.matches("Послуга"));
    }

    #[test]
    fn words_and_amounts_follow_the_readers_language() {
        assert_eq!(word(Language::Uk, "no_show"), "Не прийшов");
        assert_eq!(word(Language::En, "no_show"), "no_show");
        assert_eq!(amount(Language::Uk, 850.5), "850,50");
        assert_eq!(amount(Language::En, 850.5), "850.50");
        for lang in [Language::Uk, Language::En] {
            assert_eq!(language(&word(Language::Uk, lang.code())), Some(lang));
            assert_eq!(language(lang.code()), Some(lang));
        }
        assert_eq!(language("fr"), None);
    }

    #[test]
    fn a_format_is_english_with_commas_unless_asked() {
        let d = CsvFormat::default().dialect().expect("valid");
        assert_eq!((d.language, d.delimiter), (Language::En, b','));
        let uk = CsvFormat { lang: Some("uk".into()), delimiter: Some("semicolon".into()) }.dialect().expect("valid");
        assert_eq!((uk.language, uk.delimiter), (Language::Uk, b';'));
        assert!(CsvFormat { lang: Some("de".into()), delimiter: None }.dialect().is_err());
        assert!(CsvFormat { lang: None, delimiter: Some("tab".into()) }.dialect().is_err());
    }
}
