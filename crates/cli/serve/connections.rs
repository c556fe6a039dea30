//! The server's connections: taken while there is room for them, each
//! answered by hyper with a time limit on a request's head, and closed at
//! once when the server stops, unless they are answering.
//!
//! Every connection holds an open file, and a process may hold only so many
//! (`ulimit -n`, often 1,024). When they run out, accepting fails, and so
//! would anything else that opens a file. So the server keeps files in
//! reserve: it takes at most [`capacity`] connections, and when that many
//! are open it closes the oldest one that is not answering a request to
//! make room. Running out all the same (a lower limit than it read, another
//! program's files) is back-pressure: it waits a moment and tries again,
//! and never exits.
//!
//! A connection that is idle, or has sent part of a request's head, asks
//! nothing yet: it is closed after [`HEAD_TIMEOUT`], when room is needed,
//! and at once when the server stops. So is one still sending a request's
//! body, which nothing has been made from. One that is answering is let
//! finish, a clinic day's download included, then closed.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::future::Future;
use std::pin::{Pin, pin};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, Response};
use hyper::body::{Body as _, Frame, Incoming, SizeHint};
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;

/// How long a connection has to send a whole request head, from when it
/// opens or its last answer ends. A browser sends one at once, and opens a
/// new connection when it finds one closed.
const HEAD_TIMEOUT: Duration = Duration::from_secs(10);

/// Open files kept for what is not a connection: the standard streams, the
/// runtime's own, the listener, and whatever a handout needs opened (the
/// time zone's file).
const RESERVED_FILES: u64 = 32;

/// The most connections at once, however many files the process may open:
/// a browser opens six at most to one server.
const MAX_CONNECTIONS: usize = 256;

/// How long to wait before accepting again when accepting failed for want
/// of files or memory.
const ACCEPT_PAUSE: Duration = Duration::from_millis(50);

/// How many connections the server takes at once: its open-file limit less
/// [`RESERVED_FILES`], and at most [`MAX_CONNECTIONS`].
fn capacity() -> usize {
    #[cfg(unix)]
    {
        let limit = rustix::process::getrlimit(rustix::process::Resource::Nofile).current;
        match limit {
            Some(limit) => usize::try_from(limit.saturating_sub(RESERVED_FILES))
                .unwrap_or(MAX_CONNECTIONS)
                .clamp(1, MAX_CONNECTIONS),
            None => MAX_CONNECTIONS,
        }
    }
    #[cfg(not(unix))]
    MAX_CONNECTIONS
}

/// Answers connections to `listener` with `router` until `stop` ends, then
/// closes those that ask nothing and waits for the answers under way.
pub async fn serve(listener: TcpListener, router: Router, stop: impl Future<Output = ()>) {
    let open = Arc::new(Open::new(capacity()));
    let mut stop = pin!(stop);
    loop {
        let accepted = first(stop.as_mut(), accept(&listener, &open)).await;
        let Either::Second(stream) = accepted else {
            break;
        };
        let (id, activity) = open.add();
        let service = Counting {
            router: TowerToHyperService::new(router.clone()),
            activity: Arc::clone(&activity),
        };
        let open = Arc::clone(&open);
        tokio::spawn(async move {
            let _open = Registered { open, id };
            answer(stream, service, &activity).await;
        });
    }
    drop(listener);
    open.stop();
    open.wait_until_empty().await;
}

/// The next connection, once there is room for it.
async fn accept(listener: &TcpListener, open: &Open) -> TcpStream {
    loop {
        while open.len() >= open.capacity {
            let ended = open.ended.notified();
            open.close_oldest_idle();
            ended.await;
        }
        match listener.accept().await {
            Ok((stream, _)) => return stream,
            // That connection broke before it was taken; the next is another.
            Err(error)
                if matches!(
                    error.kind(),
                    std::io::ErrorKind::ConnectionAborted
                        | std::io::ErrorKind::ConnectionReset
                        | std::io::ErrorKind::Interrupted
                ) => {}
            // Out of files or memory: make room, wait, and try again.
            Err(_) => {
                open.close_oldest_idle();
                tokio::time::sleep(ACCEPT_PAUSE).await;
            }
        }
    }
}

/// Answers one connection's requests until it ends, or it is told to close
/// or to finish.
async fn answer(stream: TcpStream, service: Counting, activity: &Activity) {
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(HEAD_TIMEOUT);
    let mut connection = pin!(builder.serve_connection(TokioIo::new(stream), service));
    let closed = activity.close.notified();
    let finish = activity.finish.notified();
    let told = first(closed, finish);
    // Errors are the client's: a broken connection, a malformed request,
    // a head not sent in time. hyper has answered what it could.
    let Either::Second(told) = first(connection.as_mut(), told).await else {
        return;
    };
    let Either::Second(()) = told else {
        return;
    };
    connection.as_mut().graceful_shutdown();
    let _ = first(connection, activity.close.notified()).await;
}

/// What one connection is doing, as its requests and their bodies tell.
#[derive(Debug, Default)]
struct Activity {
    /// Whether a whole request head has arrived on it.
    asked: AtomicBool,
    /// Requests whose answer has not been handed on whole: HTTP/1 answers
    /// them in turn, so one at most.
    answering: AtomicUsize,
    /// Request bodies still arriving.
    receiving: AtomicUsize,
    /// Whether it has been told to close.
    closing: AtomicBool,
    /// Tells it to close now.
    close: Notify,
    /// Tells it to finish the answer under way, then close.
    finish: Notify,
}

impl Activity {
    /// Whether closing it now loses nothing that was asked of it: it has
    /// asked nothing yet, or its request is still arriving.
    fn asks_nothing(&self) -> bool {
        !self.asked.load(Ordering::Acquire) || self.receiving.load(Ordering::Acquire) > 0
    }

    /// Whether it may be closed to make room: it asks nothing, or is
    /// between requests.
    fn is_idle(&self) -> bool {
        self.asks_nothing() || self.answering.load(Ordering::Acquire) == 0
    }

    /// Tells it to close now.
    fn close(&self) {
        self.closing.store(true, Ordering::Release);
        self.close.notify_one();
    }
}

/// The connections open, oldest first.
#[derive(Debug)]
struct Open {
    connections: Mutex<BTreeMap<u64, Arc<Activity>>>,
    next: AtomicU64,
    capacity: usize,
    /// Woken when a connection ends.
    ended: Notify,
}

impl Open {
    fn new(capacity: usize) -> Open {
        Open {
            connections: Mutex::new(BTreeMap::new()),
            next: AtomicU64::new(0),
            capacity,
            ended: Notify::new(),
        }
    }

    /// The connections, locked. Nothing panics while holding them, and
    /// what they hold is whole at every step anyway.
    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<u64, Arc<Activity>>> {
        self.connections
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    fn len(&self) -> usize {
        self.lock().len()
    }

    /// Adds a connection, the newest.
    fn add(&self) -> (u64, Arc<Activity>) {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let activity = Arc::new(Activity::default());
        self.lock().insert(id, Arc::clone(&activity));
        (id, activity)
    }

    fn remove(&self, id: u64) {
        self.lock().remove(&id);
        self.ended.notify_one();
    }

    /// Closes the oldest connection that is not answering, if there is one
    /// not told to already.
    fn close_oldest_idle(&self) {
        let connections = self.lock();
        let oldest = connections
            .values()
            .find(|activity| !activity.closing.load(Ordering::Acquire) && activity.is_idle());
        if let Some(activity) = oldest {
            activity.close();
        }
    }

    /// Closes every connection that asks nothing, and tells the others to
    /// finish their answers and close.
    fn stop(&self) {
        for activity in self.lock().values() {
            if activity.asks_nothing() {
                activity.close();
            } else {
                activity.finish.notify_one();
            }
        }
    }

    async fn wait_until_empty(&self) {
        loop {
            let ended = self.ended.notified();
            if self.len() == 0 {
                return;
            }
            ended.await;
        }
    }
}

/// A connection's place among the open ones, given up when its task ends,
/// however it ends.
struct Registered {
    open: Arc<Open>,
    id: u64,
}

impl Drop for Registered {
    fn drop(&mut self) {
        self.open.remove(self.id);
    }
}

/// The router, as hyper calls it for one connection, keeping count of what
/// the connection is doing.
struct Counting {
    router: TowerToHyperService<Router>,
    activity: Arc<Activity>,
}

impl hyper::service::Service<Request<Incoming>> for Counting {
    type Response = Response<Counted<Body>>;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Infallible>> + Send>>;

    fn call(&self, request: Request<Incoming>) -> Self::Future {
        self.activity.asked.store(true, Ordering::Release);
        let answering = Count::new(&self.activity, Counter::Answering);
        let receiving = (!request.body().is_end_stream())
            .then(|| Count::new(&self.activity, Counter::Receiving));
        let request = request.map(|body| Counted {
            body,
            count: receiving,
        });
        let answer = hyper::service::Service::call(&self.router, request);
        Box::pin(async move {
            let response = answer.await?;
            Ok(response.map(|body| Counted {
                body,
                count: Some(answering),
            }))
        })
    }
}

/// Which of a connection's counters a [`Count`] is in.
#[derive(Debug, Clone, Copy)]
enum Counter {
    Answering,
    Receiving,
}

/// One in a connection's counter until dropped.
#[derive(Debug)]
struct Count {
    activity: Arc<Activity>,
    counter: Counter,
}

impl Count {
    fn new(activity: &Arc<Activity>, counter: Counter) -> Count {
        let count = Count {
            activity: Arc::clone(activity),
            counter,
        };
        count.counter().fetch_add(1, Ordering::AcqRel);
        count
    }

    fn counter(&self) -> &AtomicUsize {
        match self.counter {
            Counter::Answering => &self.activity.answering,
            Counter::Receiving => &self.activity.receiving,
        }
    }
}

impl Drop for Count {
    fn drop(&mut self) {
        self.counter().fetch_sub(1, Ordering::AcqRel);
    }
}

/// A body that keeps its connection counted until it ends or is dropped.
#[derive(Debug)]
struct Counted<B> {
    body: B,
    count: Option<Count>,
}

impl<B: hyper::body::Body + Unpin> hyper::body::Body for Counted<B> {
    type Data = B::Data;
    type Error = B::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        context: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<B::Data>, B::Error>>> {
        let polled = Pin::new(&mut self.body).poll_frame(context);
        let ended = match &polled {
            Poll::Ready(None | Some(Err(_))) => true,
            Poll::Ready(Some(Ok(_))) => self.body.is_end_stream(),
            Poll::Pending => false,
        };
        if ended {
            self.count = None;
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}

/// Which of two futures ended first, with its output.
enum Either<A, B> {
    First(A),
    Second(B),
}

/// Waits for whichever of two futures ends first; the other is dropped.
async fn first<A: Future, B: Future>(a: A, b: B) -> Either<A::Output, B::Output> {
    let (mut a, mut b) = (pin!(a), pin!(b));
    std::future::poll_fn(|context| {
        if let Poll::Ready(output) = a.as_mut().poll(context) {
            return Poll::Ready(Either::First(output));
        }
        if let Poll::Ready(output) = b.as_mut().poll(context) {
            return Poll::Ready(Either::Second(output));
        }
        Poll::Pending
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_connection_that_asked_nothing_is_idle() {
        let activity = Arc::new(Activity::default());
        assert!(activity.asks_nothing() && activity.is_idle());
        activity.asked.store(true, Ordering::Release);
        assert!(!activity.asks_nothing() && activity.is_idle());
        // A request arriving, then answered.
        let answering = Count::new(&activity, Counter::Answering);
        let receiving = Count::new(&activity, Counter::Receiving);
        assert!(activity.asks_nothing() && activity.is_idle());
        drop(receiving);
        assert!(!activity.asks_nothing() && !activity.is_idle());
        drop(answering);
        assert!(!activity.asks_nothing() && activity.is_idle());
    }

    #[test]
    fn the_oldest_idle_connection_makes_room() {
        let open = Open::new(2);
        let (_, busy) = open.add();
        busy.asked.store(true, Ordering::Release);
        let _answering = Count::new(&busy, Counter::Answering);
        let (_, idle) = open.add();
        let (_, newer) = open.add();
        open.close_oldest_idle();
        assert!(!busy.closing.load(Ordering::Acquire));
        assert!(idle.closing.load(Ordering::Acquire));
        assert!(!newer.closing.load(Ordering::Acquire));
        open.close_oldest_idle();
        assert!(newer.closing.load(Ordering::Acquire));
    }
}
