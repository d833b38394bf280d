//! Paginators of the generated client against a paging handler of the generated server:
//! tokens carried from page to page, the page size sent, items flattened (from a list, and
//! from a map behind a nested token), and a repeated token ending the stream with an error
//! unless `stop_on_duplicate_token(false)`.

use std::sync::{Arc, Mutex};

use kitchen_sink_client::config::Credentials;
use kitchen_sink_client::{Client, Config};
use kitchen_sink_server::{KitchenSink, RequestContext};
use kitchen_sink_server::operation::list_events::{ListEventsError, ListEventsInput, ListEventsOutput};
use kitchen_sink_server::operation::list_tags::{ListTagsError, ListTagsInput, ListTagsOutput};
use kitchen_sink_server::operation::list_widgets::{ListWidgetsError, ListWidgetsInput, ListWidgetsOutput};
use kitchen_sink_server::types::{TagPage, Widget};

/// The token and page size of each request a handler saw.
type Requests = Arc<Mutex<Vec<(Option<String>, Option<i32>)>>>;

/// Ten widgets in pages of `MaxResults` (3 by default), the token being the next index; tags in
/// two pages; events whose token never changes.
#[derive(Clone, Default)]
struct Pager {
    requests: Requests,
}

impl KitchenSink for Pager {
    async fn list_widgets(
        &self,
        input: ListWidgetsInput,
        _context: RequestContext,
    ) -> Result<ListWidgetsOutput, ListWidgetsError> {
        self.requests.lock().unwrap().push((input.next_token.clone(), input.max_results));
        let start: usize = input.next_token.as_deref().map_or(0, |t| t.parse().unwrap());
        let size = input.max_results.unwrap_or(3) as usize;
        let end = (start + size).min(10);
        let widgets = (start..end).map(|i| Widget::builder().name(format!("w{i}")).build().unwrap()).collect();
        let next = (end < 10).then(|| end.to_string());
        Ok(ListWidgetsOutput::builder().set_widgets(Some(widgets)).set_next_token(next).build())
    }

    async fn list_tags(
        &self,
        input: ListTagsInput,
        _context: RequestContext,
    ) -> Result<ListTagsOutput, ListTagsError> {
        let page = match input.next_token.as_deref() {
            None => TagPage::builder().tags("a", "1").tags("b", "2").next("second").build(),
            Some("second") => TagPage::builder().tags("c", "3").build(),
            Some(other) => panic!("unexpected token {other}"),
        };
        Ok(ListTagsOutput::builder().page(page).build())
    }

    async fn list_events(
        &self,
        input: ListEventsInput,
        _context: RequestContext,
    ) -> Result<ListEventsOutput, ListEventsError> {
        self.requests.lock().unwrap().push((input.next_token.clone(), input.max_results));
        Ok(ListEventsOutput::builder().next_token("same").count(1).build())
    }
}

async fn start(pager: Pager) -> Client {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let app = kitchen_sink_server::router(pager);
    tokio::spawn(kitchen_sink_server::axum::serve(listener, app).into_future());
    let config = Config::builder()
        .endpoint_url(url)
        .region("us-east-1")
        .credentials_provider(Credentials::new("AKID", "secret", None, None, "test"))
        .build();
    Client::from_conf(config)
}

#[tokio::test]
async fn pages_follow_the_tokens_and_items_are_flattened() {
    let pager = Pager::default();
    let client = start(pager.clone()).await;
    let pages = client.list_widgets().into_paginator().send().try_collect().await.unwrap();
    assert_eq!(pages.len(), 4);
    assert_eq!(pages.iter().map(|p| p.widgets().len()).collect::<Vec<_>>(), [3, 3, 3, 1]);
    let tokens: Vec<Option<String>> = pager.requests.lock().unwrap().iter().map(|(t, _)| t.clone()).collect();
    assert_eq!(tokens, [None, Some("3".into()), Some("6".into()), Some("9".into())]);

    pager.requests.lock().unwrap().clear();
    let names: Vec<String> = client
        .list_widgets()
        .into_paginator()
        .page_size(4)
        .items()
        .send()
        .try_collect()
        .await
        .unwrap()
        .into_iter()
        .map(|w| w.name().to_owned())
        .collect();
    assert_eq!(names, (0..10).map(|i| format!("w{i}")).collect::<Vec<_>>());
    let sizes: Vec<Option<i32>> = pager.requests.lock().unwrap().iter().map(|(_, s)| *s).collect();
    assert_eq!(sizes, [Some(4), Some(4), Some(4)]);
}

#[tokio::test]
async fn a_nested_token_and_map_items() {
    let client = start(Pager::default()).await;
    let mut tags = client.list_tags().into_paginator().items().send().try_collect().await.unwrap();
    tags.sort();
    let expected: Vec<(String, String)> =
        [("a", "1"), ("b", "2"), ("c", "3")].iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
    assert_eq!(tags, expected);
}

#[tokio::test]
async fn a_repeated_token_is_an_error_unless_allowed() {
    let pager = Pager::default();
    let client = start(pager.clone()).await;
    let mut pages = client.list_events().into_paginator().send();
    assert!(pages.next().await.unwrap().is_ok(), "the first page, whose token is new");
    assert!(pages.next().await.unwrap().is_ok(), "the page that repeats the token is still given");
    let error = pages.next().await.unwrap().unwrap_err();
    assert!(error.to_string().contains("same page"), "{error}");
    assert!(pages.next().await.is_none());
    assert_eq!(pager.requests.lock().unwrap().len(), 2);

    let mut going_on = client.list_events().into_paginator().stop_on_duplicate_token(false).send();
    for _ in 0..4 {
        assert!(going_on.next().await.unwrap().is_ok());
    }
}
