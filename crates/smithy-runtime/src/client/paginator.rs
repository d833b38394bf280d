//! Paginators: the pages of a `@paginated` operation as a stream, each request carrying the
//! token the previous response gave, until a response gives none (or an empty one).
//!
//! A service that answers the same token twice would be asked for the same page for ever; by
//! default the stream then ends with an error saying so ([`RepeatedToken`]), as the generated
//! paginator's `stop_on_duplicate_token(false)` can turn off for the rare operation where that
//! is intended. Generated paginators call [`paginate`] and [`items`].

use std::fmt;
use std::future::Future;
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

/// One step of an [`Unfold`]: an item and the next state (none: the stream ends after the
/// item), or nothing (the stream ends).
type Step<S, T> = BoxFuture<Option<(T, Option<S>)>>;

/// A stream that calls `step` on its state until it gives `None` (as `futures::stream::unfold`).
struct Unfold<S, T> {
    state: Option<S>,
    step: Box<dyn FnMut(S) -> Step<S, T> + Send>,
    pending: Option<Step<S, T>>,
}

impl<S: Unpin, T> Stream for Unfold<S, T> {
    type Item = T;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        let this = self.get_mut();
        loop {
            if let Some(pending) = this.pending.as_mut() {
                let result = match pending.as_mut().poll(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(r) => r,
                };
                this.pending = None;
                return Poll::Ready(result.map(|(item, next)| {
                    this.state = next;
                    item
                }));
            }
            match this.state.take() {
                Some(state) => this.pending = Some((this.step)(state)),
                None => return Poll::Ready(None),
            }
        }
    }
}

/// What the paginator does next.
enum Next<B> {
    /// Send this input.
    Send(B),
    /// Say that the service repeated this token.
    Repeated(String),
}

/// The pages of an operation: `builder` is the first request's input; `token` reads the token
/// an input carries and `set_token` puts one in; `next_token` reads the token off a page;
/// `send` sends an input. With `stop_on_duplicate_token`, a page whose token is the one its
/// request carried ends the stream with a [`RepeatedToken`] error.
pub fn paginate<B, O, E, Fut>(
    builder: B,
    stop_on_duplicate_token: bool,
    token: fn(&B) -> Option<String>,
    set_token: fn(B, Option<String>) -> B,
    next_token: fn(&O) -> Option<&str>,
    send: impl Fn(B) -> Fut + Send + Sync + 'static,
) -> PaginationStream<Result<O, SdkError<E>>>
where
    B: Clone + Send + Unpin + 'static,
    O: Send + 'static,
    E: Send + 'static,
    Fut: Future<Output = Result<O, SdkError<E>>> + Send + 'static,
{
    let send = std::sync::Arc::new(send);
    let step = move |next: Next<B>| -> Step<Next<B>, Result<O, SdkError<E>>> {
        let send = send.clone();
        Box::pin(async move {
            let builder = match next {
                Next::Send(b) => b,
                Next::Repeated(token) => {
                    let e = SdkError::construction_failure(crate::error::boxed(RepeatedToken { token }));
                    return Some((Err(e), None));
                }
            };
            let sent = token(&builder);
            match send(builder.clone()).await {
                Err(e) => Some((Err(e), None)),
                Ok(page) => {
                    let next = next_token(&page).filter(|t| !t.is_empty()).map(str::to_owned);
                    let then = match next {
                        None => None,
                        Some(t) if stop_on_duplicate_token && sent.as_deref() == Some(t.as_str()) => {
                            Some(Next::Repeated(t))
                        }
                        Some(t) => Some(Next::Send(set_token(builder, Some(t)))),
                    };
                    Some((Ok(page), then))
                }
            }
        })
    };
    PaginationStream::new(Unfold { state: Some(Next::Send(builder)), step: Box::new(step), pending: None })
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
        buffered: std::collections::VecDeque<T>,
        items: fn(O) -> Vec<T>,
    }
    // Nothing is pinned through `Items`: the pages are boxed, the items moved out.
    impl<O, T, E> Unpin for Items<O, T, E> {}
    impl<O, T, E> Stream for Items<O, T, E> {
        type Item = Result<T, SdkError<E>>;
        fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
            let this = self.get_mut();
            loop {
                if let Some(item) = this.buffered.pop_front() {
                    return Poll::Ready(Some(Ok(item)));
                }
                match Pin::new(&mut this.pages).poll_next(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(None) => return Poll::Ready(None),
                    Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                    Poll::Ready(Some(Ok(page))) => this.buffered.extend((this.items)(page)),
                }
            }
        }
    }
    PaginationStream::new(Items { pages, buffered: std::collections::VecDeque::new(), items })
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
        paginate(
            Input::default(),
            stop,
            |i| i.token.clone(),
            |_, t| Input { token: t },
            |p: &Page| p.next.as_deref(),
            send,
        )
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
