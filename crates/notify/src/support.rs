//! Relaying the support thread («Написати нам»): a client's message to the business chat, recording
//! which message there is its copy (an admin replies to that copy), and the business's answers to
//! the client. Paced and retried like every other notice, in the same lanes.

use std::sync::Arc;
use std::time::Instant;

use zapys_bot::{RenderedRelay, render_support};
use zapys_domain::Notice;
use zapys_store::{NoticeOutcome, OutboxItem, StoreError};

use crate::{Messenger, Notifier, SendError};

impl Notifier {
    pub(crate) async fn deliver_support(
        &self,
        item: OutboxItem,
        chat: i64,
        messenger: Arc<dyn Messenger>,
    ) -> Result<(), StoreError> {
        let (relay, message_id) = match render_support(self.store.as_ref(), &item, self.clock.now()).await {
            Ok(RenderedRelay::Send { relay, message_id }) => (relay, message_id),
            Ok(RenderedRelay::Skip(reason)) => {
                return self.finish(item.id, NoticeOutcome::Skipped(reason.into())).await;
            }
            Err(error) => {
                tracing::warn!(id = item.id, %error, "a support message could not be written; marking it failed");
                return self.finish(item.id, NoticeOutcome::Failed(format!("could not be written: {error}"))).await;
            }
        };
        let start = self.reserve(chat);
        tokio::time::sleep_until(start.into()).await;
        let result = messenger.relay(chat, &relay).await;
        if let Err(SendError::RetryAfter(wait)) = &result {
            self.pacing().last_per_chat.insert(chat, Instant::now() + *wait);
        }
        // The copy is out: failing to note where must not send it again, only leave replies to it unmatched.
        if let (Ok(Some(copy)), Notice::SupportMessage) = (&result, item.notice)
            && let Err(error) = self.store.mark_support_relayed(message_id, chat, *copy).await
        {
            tracing::warn!(id = item.id, %error, "the business chat's copy could not be recorded; replies to it reach nobody");
        }
        self.settle(&item, result.map(|_| ())).await
    }
}
