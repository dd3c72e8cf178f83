//! Spreadsheets: appointments and clients as CSV for any filter of their
//! tables, and clients imported from CSV with a preview and a report of the
//! rows refused. UTF-8 with a byte-order mark, so Excel shows Ukrainian text.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use zapys_domain::client::{ClientDraft, ContactDetails};
use zapys_domain::{Language, PersonName, PhoneNumber, TelegramId};
use zapys_store::{ClientQuery, StoreError};

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::appointments::{AppointmentItem, AppointmentListQuery};
use super::spreadsheet::{self, APPOINTMENT_COLUMNS, CsvFormat, Dialect};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::Query;
use crate::{AppState, Principal};

pub(super) fn routes() -> OpenApiRouter<AppState> {
    // A client list to import may be larger than an ordinary request.
    let (schemas, paths, import) = routes!(import_users);
    OpenApiRouter::new().routes(routes!(appointments)).routes(routes!(users)).routes((
        schemas,
        paths,
        import.layer(axum::extract::DefaultBodyLimit::max(super::IMPORT_LIMIT)),
    ))
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`) is
/// kept as text with a leading apostrophe; the import takes it off again.
fn cell(value: &str) -> String {
    if value.starts_with(['=', '+', '-', '@']) { format!("'{value}") } else { value.to_owned() }
}

fn uncell(value: &str) -> &str {
    match value.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest,
        _ => value,
    }
}

fn csv_response(filename: &str, dialect: Dialect, rows: Vec<Vec<String>>) -> ApiResult<Response> {
    let mut writer = csv::WriterBuilder::new().delimiter(dialect.delimiter).from_writer(BOM.to_vec());
    for row in rows {
        writer.write_record(row.iter().map(|v| cell(v))).map_err(|e| ApiError::Internal(e.to_string()))?;
    }
    let body = writer.into_inner().map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\"")),
        ],
        body,
    )
        .into_response())
}

/// The appointments of the table's filters (all pages) as CSV: for integrations in English with
/// commas, or with `lang=uk&delimiter=semicolon` as Ukrainian Excel reads it.
#[utoipa::path(get, path = "/appointments.csv", tag = "export", params(AppointmentListQuery, CsvFormat),
    responses((status = 200, description = "UTF-8 with a byte-order mark", content_type = "text/csv", body = String)))]
pub async fn appointments(
    State(state): State<AppState>,
    _: Principal,
    Query(q): Query<AppointmentListQuery>,
    Query(format): Query<CsvFormat>,
) -> ApiResult<Response> {
    let dialect = format.dialect()?;
    let lang = dialect.language;
    let tz = state.store().settings().timezone;
    let page = state.store().appointments(&q.parse(&tz)?).await?;
    let mut rows = vec![APPOINTMENT_COLUMNS.iter().map(|c| c.name(lang).to_owned()).collect::<Vec<_>>()];
    for view in &page.items {
        let a = AppointmentItem::new(&tz, view);
        rows.push(vec![
            a.id.to_string(),
            a.title,
            a.phone,
            a.service,
            a.staff,
            a.start,
            a.end,
            spreadsheet::word(lang, &a.status_name),
            spreadsheet::word(lang, &a.source),
            a.price.map(|p| spreadsheet::amount(lang, p)).unwrap_or_default(),
            a.notes,
            a.cancel_reason.unwrap_or_default(),
            a.cancelled_by.map(|by| spreadsheet::word(lang, &by)).unwrap_or_default(),
            a.created_at,
        ]);
    }
    csv_response("appointments.csv", dialect, rows)
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ClientExportQuery {
    /// Part of a name or phone number.
    pub q: Option<String>,
}

/// Clients (all, or those matching `q`) as CSV, in the columns the import reads (in either language).
#[utoipa::path(get, path = "/users.csv", tag = "export", params(ClientExportQuery, CsvFormat),
    responses((status = 200, description = "UTF-8 with a byte-order mark", content_type = "text/csv", body = String)))]
pub async fn users(
    State(state): State<AppState>,
    _: Principal,
    Query(q): Query<ClientExportQuery>,
    Query(format): Query<CsvFormat>,
) -> ApiResult<Response> {
    let dialect = format.dialect()?;
    let lang = dialect.language;
    let page = state.store().clients(&ClientQuery { search: q.q, ..Default::default() }).await?;
    let columns = [
        &spreadsheet::NAME,
        &spreadsheet::PHONE,
        &spreadsheet::TELEGRAM_ID,
        &spreadsheet::LANGUAGE,
        &spreadsheet::CREATED_AT,
    ];
    let mut rows = vec![columns.iter().map(|c| c.name(lang).to_owned()).collect::<Vec<_>>()];
    for client in page.items {
        let Some(contact) = client.contact else { continue };
        rows.push(vec![
            contact.name.as_str().to_owned(),
            contact.phone.as_str().to_owned(),
            client.telegram_id.map(|t| t.0.to_string()).unwrap_or_default(),
            spreadsheet::word(lang, client.language.code()),
            client.created_at.to_string(),
        ]);
    }
    csv_response("clients.csv", dialect, rows)
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ImportQuery {
    /// `true`: check only, change nothing (the preview).
    pub dry_run: Option<bool>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ImportedRow {
    /// The line in the file (the header is line 1).
    pub line: u64,
    pub name: String,
    pub phone: String,
    pub telegram_id: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RejectedRow {
    pub line: u64,
    pub error: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ImportReport {
    pub dry_run: bool,
    /// Clients added (0 in a dry run).
    pub created: u64,
    pub valid: Vec<ImportedRow>,
    pub rejected: Vec<RejectedRow>,
}

/// Imports clients from CSV (`name`, `phone`, optional `telegram_id` and `language` columns — or
/// their Ukrainian names, `Ім'я`, `Телефон`, `Telegram ID`, `Мова`, as the export writes them; a
/// header row; comma or semicolon separated). Valid rows are added, invalid ones reported with the reason.
#[utoipa::path(post, path = "/users/import", tag = "export", params(ImportQuery),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = ImportReport), (status = 400, description = "`malformed_request`: not UTF-8, or no usable header row", body = ErrorBody)))]
pub async fn import_users(
    State(state): State<AppState>,
    _: Principal,
    Query(query): Query<ImportQuery>,
    body: Bytes,
) -> ApiResult<axum::Json<ImportReport>> {
    let dry_run = query.dry_run.unwrap_or(false);
    let text = std::str::from_utf8(body.strip_prefix(BOM).unwrap_or(&body))
        .map_err(|_| ApiError::BadRequest("the file must be UTF-8 text (save it as CSV UTF-8)".into()))?;
    // Excel in many locales separates with semicolons.
    let first_line = text.lines().next().unwrap_or_default();
    let delimiter = if first_line.matches(';').count() > first_line.matches(',').count() { b';' } else { b',' };
    let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).flexible(true).from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| ApiError::BadRequest(format!("unreadable CSV header: {e}")))?.clone();
    let column = |column: &spreadsheet::Column| headers.iter().position(|h| column.matches(h));
    let (Some(name_at), Some(phone_at)) = (column(&spreadsheet::NAME), column(&spreadsheet::PHONE)) else {
        return Err(ApiError::BadRequest(
            "the first row must name the columns; 'name' and 'phone' (or 'Ім'я' and 'Телефон') are required".into(),
        ));
    };
    let (telegram_at, language_at) = (column(&spreadsheet::TELEGRAM_ID), column(&spreadsheet::LANGUAGE));

    let mut report = ImportReport { dry_run, created: 0, valid: Vec::new(), rejected: Vec::new() };
    let mut seen_telegram = std::collections::HashSet::new();
    for (index, record) in reader.records().enumerate() {
        let line = index as u64 + 2;
        let parsed = record.map_err(|e| e.to_string()).and_then(|r| {
            let field =
                |at: Option<usize>| at.and_then(|i| r.get(i)).map(|v| uncell(v.trim()).to_owned()).unwrap_or_default();
            let name = PersonName::parse(&field(Some(name_at))).map_err(|e| e.to_string())?;
            let phone = PhoneNumber::parse(&field(Some(phone_at))).map_err(|e| e.to_string())?;
            let telegram = match field(telegram_at).as_str() {
                "" => None,
                raw => Some(
                    TelegramId::parse(raw.parse().map_err(|_| format!("telegram_id '{raw}' is not a number"))?)
                        .map_err(|e| e.to_string())?,
                ),
            };
            let language = match field(language_at).as_str() {
                "" => Language::Uk,
                word => spreadsheet::language(word)
                    .ok_or_else(|| format!("language '{word}' is neither uk (українська) nor en (англійська)"))?,
            };
            Ok(ClientDraft { telegram_id: telegram, contact: ContactDetails { name, phone }, language })
        });
        let draft = match parsed {
            Ok(draft) => draft,
            Err(error) => {
                report.rejected.push(RejectedRow { line, error });
                continue;
            }
        };
        if let Some(telegram) = draft.telegram_id {
            let taken =
                !seen_telegram.insert(telegram.0) || state.store().client_by_telegram(telegram).await?.is_some();
            if taken {
                report
                    .rejected
                    .push(RejectedRow { line, error: format!("telegram_id {} belongs to another client", telegram.0) });
                continue;
            }
        }
        if !dry_run {
            match state.store().create_client(&draft).await {
                Ok(_) => report.created += 1,
                Err(StoreError::Duplicate(error)) => {
                    report.rejected.push(RejectedRow { line, error });
                    continue;
                }
                Err(other) => return Err(other.into()),
            }
        }
        report.valid.push(ImportedRow {
            line,
            name: draft.contact.name.as_str().to_owned(),
            phone: draft.contact.phone.as_str().to_owned(),
            telegram_id: draft.telegram_id.map(|t| t.0),
        });
    }
    Ok(axum::Json(report))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_like_cells_are_kept_as_text_and_read_back() {
        for value in ["+380671234567", "=SUM(A1)", "-5", "@home", "Олена"] {
            assert_eq!(uncell(&cell(value)), value);
        }
        assert_eq!(cell("+380671234567"), "'+380671234567");
        assert_eq!(uncell("'quoted"), "'quoted", "only a protected formula loses its apostrophe");
    }
}
