use tokio::sync::broadcast;

/// Something changed: which kind of record, and its id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change {
    pub entity: crate::Entity,
    pub id: i64,
}

/// A broadcast of committed changes. Subscribers that fall behind miss old
/// changes rather than slow the writer down; live views just refetch.
#[derive(Debug, Clone)]
pub struct ChangeFeed(broadcast::Sender<Change>);

impl Default for ChangeFeed {
    fn default() -> Self {
        Self(broadcast::channel(256).0)
    }
}

impl ChangeFeed {
    pub fn publish(&self, entity: crate::Entity, id: i64) {
        // No subscribers is fine: nobody is watching.
        let _ = self.0.send(Change { entity, id });
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Change> {
        self.0.subscribe()
    }
}
