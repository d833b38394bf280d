//! Paginators: the pages of a `@paginated` operation as a stream, each request carrying the
//! token the previous response gave, until a response gives none (or an empty one).
//!
//! A service that answers the same token twice would be asked for the same page for ever; by
//! default the stream then ends with an error saying so ([`RepeatedToken`]), as the generated
//! paginator's `stop_on_duplicate_token(false)` can turn off for the rare operation where that
//! is intended. Generated paginators call [`paginate`] and [`items`].

use std::any::Any;
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;

use super::SdkError;

type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

/// A stream of pages (or items) of a paginated operation.
pub struct PaginationStream<T> {
    inner: Pin<Box<dyn Stream<Item = T> + Send>>,
}

impl<T> fmt::Debug for PaginationStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PaginationStream")
    }
}

impl<T> PaginationStream<T> {
    fn new(stream: impl Stream<Item = T> + Send + 'static) -> Self {
        PaginationStream { inner: Box::pin(stream) }
    }

    /// The next page (or item), `None` when there are no more.
    pub async fn next(&mut self) -> Option<T> {
        std::future::poll_fn(|cx| self.inner.as_mut().poll_next(cx)).await
    }

    /// Every remaining page (or item).
    pub async fn collect<C: Default + Extend<T>>(mut self) -> C {
        let mut out = C::default();
        while let Some(item) = self.next().await {
            out.extend(std::iter::once(item));
        }
        out
    }
}

impl<T, E> PaginationStream<Result<T, E>> {
    /// Every remaining page (or item), or the first error.
    pub async fn try_collect(mut self) -> Result<Vec<T>, E> {
        let mut out = Vec::new();
        while let Some(item) = self.next().await {
            out.push(item?);
        }
        Ok(out)
    }
}

impl<T> Stream for PaginationStream<T> {
    type Item = T;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        self.inner.as_mut().poll_next(cx)
    }
}

/// The service answered with the token the request carried: the next request would ask for
/// the same page again.
#[derive(Debug)]
pub struct RepeatedToken {
    token: String,
}

impl fmt::Display for RepeatedToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown: String = self.token.chars().take(64).collect();
        write!(
            f,
            "the service answered with the page token it was sent (`{shown}`), so the next request would ask for \
             the same page: stopping (`stop_on_duplicate_token(false)` goes on instead)"
        )
    }
}

impl std::error::Error for RepeatedToken {}

/// A page or failure of another type than the operation's: a bug of this crate, never expected.
#[derive(Debug)]
struct TypeMismatch;

impl fmt::Display for TypeMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the paginator was handed a page of another operation (a bug in smithy-runtime)")
    }
}

impl std::error::Error for TypeMismatch {}

/// A request's answer (a page or a failure) with its type erased, so that the paging loop
/// below is compiled once for every operation rather than once per operation.
type Erased = Box<dyn Any + Send>;

/// One request of the loop: its answer, and the token the answer's page gives (none after a
/// failure).
type Sent = BoxFuture<(Erased, Option<String>)>;

/// What the paging loop gives: an answer, or the token the service repeated.
enum Event {
    Answer(Erased),
    Repeated(String),
}

/// Where the paging loop is.
enum State {
    /// Send a request with this token (none for the first request as built).
    Send(Option<String>),
    /// A request carrying `sent` is on its way.
    Waiting {
        sent: Option<String>,
        reply: Sent,
    },
    /// Say that the service repeated this token, then end.
    Repeated(String),
    Done,
}

/// The paging loop, the same code for every operation: `send` sends a request with a token.
struct Pages {
    send: Box<dyn Fn(Option<String>) -> Sent + Send + Sync>,
    stop_on_duplicate_token: bool,
    state: State,
}

impl Pages {
    fn poll_event(&mut self, cx: &mut Context<'_>) -> Poll<Option<Event>> {
        loop {
            match std::mem::replace(&mut self.state, State::Done) {
                State::Send(token) => {
                    let reply = (self.send)(token.clone());
                    self.state = State::Waiting { sent: token, reply };
                }
                State::Waiting { sent, mut reply } => {
                    let (answer, next) = match reply.as_mut().poll(cx) {
                        Poll::Pending => {
                            self.state = State::Waiting { sent, reply };
                            return Poll::Pending;
                        }
                        Poll::Ready(answer) => answer,
                    };
                    self.state = match next.filter(|t| !t.is_empty()) {
                        None => State::Done,
                        Some(t) if self.stop_on_duplicate_token && sent.as_deref() == Some(t.as_str()) => {
                            State::Repeated(t)
                        }
                        Some(t) => State::Send(Some(t)),
                    };
                    return Poll::Ready(Some(Event::Answer(answer)));
                }
                State::Repeated(token) => return Poll::Ready(Some(Event::Repeated(token))),
                State::Done => return Poll::Ready(None),
            }
        }
    }
}

/// One request's answer, erased as it arrives, with the token of its page.
struct Erase<O, E> {
    reply: BoxFuture<Result<O, SdkError<E>>>,
    next_token: fn(&O) -> Option<&str>,
}

impl<O: Send + 'static, E: Send + 'static> Future for Erase<O, E> {
    type Output = (Erased, Option<String>);

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let answer = match self.reply.as_mut().poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(answer) => answer,
        };
        let next = match &answer {
            Ok(page) => (self.next_token)(page).map(str::to_owned),
            Err(_) => None,
        };
        Poll::Ready((Box::new(answer), next))
    }
}

/// The paging loop's answers with their types back.
struct Typed<O, E> {
    pages: Pages,
    types: PhantomData<fn() -> (O, E)>,
}

impl<O: 'static, E: 'static> Stream for Typed<O, E> {
    type Item = Result<O, SdkError<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let event = match self.get_mut().pages.poll_event(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(None) => return Poll::Ready(None),
            Poll::Ready(Some(event)) => event,
        };
        let error = match event {
            // The box holds what `Erase` put in it; a mismatch is reported, not a panic.
            Event::Answer(answer) => match answer.downcast::<Result<O, SdkError<E>>>() {
                Ok(answer) => return Poll::Ready(Some(*answer)),
                Err(_) => crate::error::boxed(TypeMismatch),
            },
            Event::Repeated(token) => crate::error::boxed(RepeatedToken { token }),
        };
        Poll::Ready(Some(Err(SdkError::construction_failure(error))))
    }
}

/// The pages of an operation: `first_token` is the token the first request carries (as the
/// caller built it); `send` sends a request carrying a token; `next_token` reads the token off
/// a page. With `stop_on_duplicate_token`, a page whose token is the one its request carried
/// ends the stream with a [`RepeatedToken`] error.
pub fn paginate<O, E, Fut>(
    first_token: Option<String>,
    stop_on_duplicate_token: bool,
    next_token: fn(&O) -> Option<&str>,
    send: impl Fn(Option<String>) -> Fut + Send + Sync + 'static,
) -> PaginationStream<Result<O, SdkError<E>>>
where
    O: Send + 'static,
    E: Send + 'static,
    Fut: Future<Output = Result<O, SdkError<E>>> + Send + 'static,
{
    let send = move |token| -> Sent { Box::pin(Erase { reply: Box::pin(send(token)), next_token }) };
    let pages = Pages { send: Box::new(send), stop_on_duplicate_token, state: State::Send(first_token) };
    PaginationStream::new(Typed { pages, types: PhantomData })
}

/// The items of each page, in order: `items` takes them out of a page. An error is passed on,
/// and ends the stream as it ends the pages.
pub fn items<O, T, E>(
    pages: PaginationStream<Result<O, SdkError<E>>>,
    items: fn(O) -> Vec<T>,
) -> PaginationStream<Result<T, SdkError<E>>>
where
    O: Send + 'static,
    T: Send + 'static,
    E: Send + 'static,
{
    struct Items<O, T, E> {
        pages: PaginationStream<Result<O, SdkError<E>>>,
        buffered: std::vec::IntoIter<T>,
        items: fn(O) -> Vec<T>,
    }
    // Nothing is pinned through `Items`: the pages are boxed, the items moved out.
    impl<O, T, E> Unpin for Items<O, T, E> {}
    impl<O, T, E> Stream for Items<O, T, E> {
        type Item = Result<T, SdkError<E>>;
        fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
            let this = self.get_mut();
            loop {
                if let Some(item) = this.buffered.next() {
                    return Poll::Ready(Some(Ok(item)));
                }
                match Pin::new(&mut this.pages).poll_next(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(None) => return Poll::Ready(None),
                    Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                    Poll::Ready(Some(Ok(page))) => this.buffered = (this.items)(page).into_iter(),
                }
            }
        }
    }
    PaginationStream::new(Items { pages, buffered: Vec::new().into_iter(), items })
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;

    #[derive(Clone, Debug, Default)]
    struct Input {
        token: Option<String>,
    }

    #[derive(Debug)]
    struct Page {
        items: Vec<u32>,
        next: Option<String>,
    }

    /// The tokens the test service was sent.
    type Seen = Arc<Mutex<Vec<Option<String>>>>;
    /// The test service's answer to one request.
    type Reply = BoxFuture<Result<Page, SdkError<std::io::Error>>>;

    /// A service whose pages are `pages` (items, next token), answering by the token sent.
    fn service(
        pages: &'static [(&'static [u32], Option<&'static str>)],
    ) -> (Seen, impl Fn(Input) -> Reply + Send + Sync) {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        let send = move |input: Input| -> Reply {
            log.lock().unwrap().push(input.token.clone());
            let index = match input.token.as_deref() {
                None => 0,
                Some(t) => t.trim_start_matches('p').parse::<usize>().unwrap(),
            };
            let (items, next) = pages[index];
            Box::pin(async move { Ok(Page { items: items.to_vec(), next: next.map(str::to_owned) }) })
        };
        (seen, send)
    }

    fn pages(
        send: impl Fn(Input) -> Reply + Send + Sync + 'static,
        stop: bool,
    ) -> PaginationStream<Result<Page, SdkError<std::io::Error>>> {
        pages_from(None, send, stop)
    }

    fn pages_from(
        first: Option<&str>,
        send: impl Fn(Input) -> Reply + Send + Sync + 'static,
        stop: bool,
    ) -> PaginationStream<Result<Page, SdkError<std::io::Error>>> {
        paginate(first.map(str::to_owned), stop, |p: &Page| p.next.as_deref(), move |token| send(Input { token }))
    }

    #[tokio::test]
    async fn pages_follow_tokens_until_none_or_empty() {
        let (seen, send) = service(&[(&[1, 2], Some("p1")), (&[3], Some("p2")), (&[], Some(""))]);
        let all = pages(send, true).try_collect().await.unwrap();
        assert_eq!(all.len(), 3);
        assert_eq!(*seen.lock().unwrap(), [None, Some("p1".into()), Some("p2".into())]);

        let (_, send) = service(&[(&[1, 2], Some("p1")), (&[3], None)]);
        let items = items(pages(send, true), |p| p.items).try_collect().await.unwrap();
        assert_eq!(items, [1, 2, 3]);
    }

    #[tokio::test]
    async fn the_first_request_carries_the_callers_token() {
        let (seen, send) = service(&[(&[1], Some("p1")), (&[2], Some("p2")), (&[3], None)]);
        let items = items(pages_from(Some("p1"), send, true), |p| p.items).try_collect().await.unwrap();
        assert_eq!(items, [2, 3]);
        assert_eq!(*seen.lock().unwrap(), [Some("p1".into()), Some("p2".into())]);

        // A first page that answers the caller's own token is a repeat too.
        let (seen, send) = service(&[(&[1], Some("p1")), (&[2], Some("p1"))]);
        let all: Vec<_> = pages_from(Some("p1"), send, true).collect().await;
        assert!(all[0].is_ok() && all[1].is_err() && all.len() == 2, "{all:?}");
        assert_eq!(seen.lock().unwrap().len(), 1);
    }

    #[tokio::test]
    async fn a_repeated_token_is_an_error_unless_allowed() {
        let (seen, send) = service(&[(&[1], Some("p1")), (&[2], Some("p1"))]);
        let mut stream = pages(send, true);
        assert!(stream.next().await.unwrap().is_ok());
        assert!(stream.next().await.unwrap().is_ok(), "the page with the repeated token is still given");
        let err = stream.next().await.unwrap().unwrap_err();
        assert!(err.to_string().contains("same page"), "{err}");
        assert!(stream.next().await.is_none());
        assert_eq!(seen.lock().unwrap().len(), 2);

        let (seen, send) = service(&[(&[1], Some("p1")), (&[2], Some("p1"))]);
        let mut stream = pages(send, false);
        for _ in 0..5 {
            assert!(stream.next().await.unwrap().is_ok());
        }
        assert_eq!(seen.lock().unwrap().len(), 5);
    }

    #[tokio::test]
    async fn an_error_ends_the_stream() {
        let send = |_: Input| -> Reply {
            Box::pin(async { Err(SdkError::construction_failure(crate::error::boxed(std::io::Error::other("down")))) })
        };
        let mut stream = items(pages(send, true), |p| p.items);
        assert!(stream.next().await.unwrap().is_err());
        assert!(stream.next().await.is_none());
    }
}
