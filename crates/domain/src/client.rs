//! Clients: the people who book, and the personal data we hold about them.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::{ClientId, InvalidValue};

/// A person's name as they gave it: trimmed, 1 to 100 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct PersonName(String);

impl PersonName {
    pub fn parse(text: &str) -> Result<Self, InvalidValue> {
        let name = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() {
            return Err(InvalidValue::new("name must not be empty"));
        }
        if name.chars().count() > 100 {
            return Err(InvalidValue::new("name must be at most 100 characters"));
        }
        if name.chars().any(char::is_control) {
            return Err(InvalidValue::new("name must not contain control characters"));
        }
        Ok(Self(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A phone number in international form: `+` and 8 to 15 digits.
///
/// Ukrainian habits are understood: `067 123 45 67` and `380671234567` both
/// become `+380671234567`; Telegram's shared contacts often lack the `+`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct PhoneNumber(String);

impl PhoneNumber {
    pub fn parse(text: &str) -> Result<Self, InvalidValue> {
        let bad = || InvalidValue::new("phone must be a phone number such as +380671234567");
        let trimmed = text.trim();
        let (plus, rest) = match trimmed.strip_prefix('+') {
            Some(rest) => (true, rest),
            None => (false, trimmed),
        };
        let mut digits = String::with_capacity(rest.len());
        for c in rest.chars() {
            match c {
                '0'..='9' => digits.push(c),
                ' ' | '-' | '(' | ')' | '.' => {}
                _ => return Err(bad()),
            }
        }
        let international = match (plus, digits.len()) {
            (false, 10) if digits.starts_with('0') => format!("380{}", &digits[1..]),
            (_, 8..=15) if !digits.starts_with('0') => digits,
            _ => return Err(bad()),
        };
        Ok(Self(format!("+{international}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The Telegram user id of a client (also their private chat id).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TelegramId(pub i64);

impl TelegramId {
    pub fn parse(id: i64) -> Result<Self, InvalidValue> {
        if id > 0 { Ok(Self(id)) } else { Err(InvalidValue::new("telegram_id must be a positive number")) }
    }
}

/// The language a client reads the bot in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    Uk,
    En,
}

impl Language {
    pub fn code(self) -> &'static str {
        match self {
            Self::Uk => "uk",
            Self::En => "en",
        }
    }

    pub fn parse(code: &str) -> Result<Self, InvalidValue> {
        match code {
            "uk" => Ok(Self::Uk),
            "en" => Ok(Self::En),
            _ => Err(InvalidValue::new("language must be 'uk' or 'en'")),
        }
    }

    /// Ukrainian unless Telegram says the client reads English.
    pub fn from_telegram(language_code: Option<&str>) -> Self {
        match language_code {
            Some(code) if code.starts_with("en") => Self::En,
            _ => Self::Uk,
        }
    }
}

/// The personal data of a client; gone (None) once the client asked to be forgotten.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactDetails {
    pub name: PersonName,
    pub phone: PhoneNumber,
}

/// A client as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Client {
    pub id: ClientId,
    pub telegram_id: Option<TelegramId>,
    /// `None` after erasure: the client's history stays, anonymised.
    pub contact: Option<ContactDetails>,
    pub language: Language,
    pub created_at: Timestamp,
}

/// What is needed to register a client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientDraft {
    pub telegram_id: Option<TelegramId>,
    pub contact: ContactDetails,
    pub language: Language,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phone(text: &str) -> Option<String> {
        PhoneNumber::parse(text).ok().map(|p| p.as_str().to_owned())
    }

    #[test]
    fn phone_numbers_are_normalised_to_international_form() {
        assert_eq!(phone("+380 67 123-45-67").as_deref(), Some("+380671234567"));
        assert_eq!(phone("067 123 45 67").as_deref(), Some("+380671234567"));
        assert_eq!(phone("380671234567").as_deref(), Some("+380671234567"), "Telegram drops the +");
        assert_eq!(phone("(067) 123.45.67").as_deref(), Some("+380671234567"));
        assert_eq!(phone("+14155550123").as_deref(), Some("+14155550123"));
    }

    #[test]
    fn things_that_are_not_phone_numbers_are_refused() {
        for bad in ["", "+", "12345", "hello", "+38067123456789012", "067-abc-45-67", "++380671234567", "0671234567890"]
        {
            assert_eq!(phone(bad), None, "{bad:?} must be refused");
        }
    }

    #[test]
    fn names_fold_whitespace_and_refuse_control_characters() {
        assert_eq!(PersonName::parse("  Олена   Коваль ").map(|n| n.as_str().to_owned()), Ok("Олена Коваль".into()));
        assert!(PersonName::parse(" \n ").is_err());
        assert!(PersonName::parse("Bad\u{0007}Name").is_err());
    }

    #[test]
    fn the_language_follows_telegram_only_for_english() {
        assert_eq!(Language::from_telegram(Some("en-GB")), Language::En);
        assert_eq!(Language::from_telegram(Some("uk")), Language::Uk);
        assert_eq!(Language::from_telegram(Some("de")), Language::Uk);
        assert_eq!(Language::from_telegram(None), Language::Uk);
    }
}
