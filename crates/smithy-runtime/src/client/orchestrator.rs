//! The call orchestrator: one call of an operation from a built request to a typed output or
//! [`SdkError`]: endpoint, signing, the connector, timeouts, and the retry loop. The loop and an
//! attempt are compiled once, with the output and error types erased inside, not once per
//! operation.

use super::*;

/// What the type-erased part of [`Handle::call`] parses a response with: the typed output or
/// error is kept by the caller, and only the error's metadata comes back (for retry decisions).
type ErasedParse<'a> = dyn FnMut(&HttpResponse) -> Result<(), ParseFailure<ErasedError>> + Send + 'a;

/// A modeled or unmodeled service error, reduced to its metadata while the retry loop runs.
#[derive(Debug)]
struct ErasedError(ErrorMetadata);

impl ProvideErrorMetadata for ErasedError {
    fn meta(&self) -> &ErrorMetadata {
        &self.0
    }
}

/// A request that could not be sent anywhere or signed.
#[derive(Debug)]
struct SetupError(String);

impl fmt::Display for SetupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SetupError {}

/// The largest response body read: a bigger one is a response error, not an allocation.
pub const MAX_RESPONSE_BODY: usize = 64 * 1024 * 1024;

/// A client's shared state: its config, its HTTP client, the service it calls, the parsed
/// endpoint rules and the retry quota.
#[derive(Debug)]
pub struct Handle {
    config: Config,
    http: Result<SharedHttpConnector, Arc<reqwest::Error>>,
    service: &'static ServiceInfo,
    rules: Option<Result<endpoint::RuleSet, endpoint::EndpointError>>,
    quota: retry::TokenBucket,
    /// The credentials chain for a config that names no provider, made once so that what it
    /// finds is cached across calls.
    default_credentials: SharedCredentialsProvider,
}

/// Makes sure rustls has a crypto provider (ring): reqwest is built without one so that no
/// C toolchain beyond a compiler (no cmake, no OpenSSL) is needed. An app that installed its
/// own provider keeps it.
fn ensure_crypto_provider() {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Losing the race to another thread installing one is fine.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

/// Where one call goes and how it is signed.
struct Target {
    base_url: String,
    /// Headers the endpoint rules add to every request.
    headers: Vec<(HeaderName, HeaderValue)>,
    signing: Option<(SharedCredentialsProvider, String, String)>,
}

impl Handle {
    /// A handle for `service` with `config`.
    pub fn new(config: Config, service: &'static ServiceInfo) -> Self {
        #[cfg(feature = "aws-config")]
        let config = config.resolved_for(service);
        let http = match config.http_connector() {
            Some(c) => Ok(c.clone()),
            None => {
                ensure_crypto_provider();
                reqwest::Client::builder()
                    .connect_timeout(config.timeout_config().connect_timeout())
                    .build()
                    .map(|client| SharedHttpConnector::new(connector::ReqwestConnector::new(client)))
                    .map_err(Arc::new)
            }
        };
        let rules = service.endpoint_rules.map(endpoint::RuleSet::parse);
        let default_credentials = credentials::default_provider(&config.env());
        Handle { config, http, service, rules, quota: retry::TokenBucket::default(), default_credentials }
    }

    /// The config.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// A value for an `@idempotencyToken` member the caller left unset.
    pub fn idempotency_token(&self, config_override: Option<&ConfigBuilder>) -> String {
        match config_override {
            Some(o) => self.config.merged_with(o).idempotency_token_provider().make_idempotency_token(),
            None => self.config.idempotency_token_provider().make_idempotency_token(),
        }
    }

    /// The service-specific endpoint variable, e.g. `AWS_ENDPOINT_URL_CONNECT`.
    fn endpoint_env_var(&self) -> String {
        let id: String = self
            .service
            .sdk_id
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_uppercase() } else { '_' })
            .collect();
        format!("AWS_ENDPOINT_URL_{id}")
    }

    /// The base URL and signing settings of a call.
    fn target(&self, config: &Config) -> Result<Target, SetupError> {
        let env = config.env();
        // Where the region was looked for, when none was found, for the errors below.
        let (region, no_region) = match config.region() {
            Some(region) => (Some(region.clone()), None),
            None => match credentials::find_region(&env) {
                Ok(region) => (Some(region), None),
                Err(why) => (None, Some(why)),
            },
        };
        let with_why = |text: String| match &no_region {
            Some(why) => format!("{text} ({why})"),
            None => text,
        };
        let endpoint_url = config
            .endpoint_url()
            .map(str::to_owned)
            .or_else(|| env.get(&self.endpoint_env_var()))
            .or_else(|| env.get("AWS_ENDPOINT_URL"));
        let use_fips = config.use_fips().or_else(|| env.get_bool("AWS_USE_FIPS_ENDPOINT")).unwrap_or(false);
        let use_dual_stack =
            config.use_dual_stack().or_else(|| env.get_bool("AWS_USE_DUALSTACK_ENDPOINT")).unwrap_or(false);

        let mut signing_region = region.as_ref().map(|r| r.as_str().to_owned());
        let mut endpoint_headers = Vec::new();
        let mut signing_name = self.service.signing_name.map(str::to_owned);
        let base_url = match &self.rules {
            Some(Ok(rules)) => {
                let mut params = endpoint::Params::default();
                if let Some(r) = &region {
                    params.0.insert("Region".into(), endpoint::Value::String(r.as_str().to_owned()));
                }
                params.0.insert("UseFIPS".into(), endpoint::Value::Bool(use_fips));
                params.0.insert("UseDualStack".into(), endpoint::Value::Bool(use_dual_stack));
                if let Some(url) = &endpoint_url {
                    params.0.insert("Endpoint".into(), endpoint::Value::String(url.clone()));
                }
                let resolved = rules.resolve(&params).map_err(|e| SetupError(with_why(format!("no endpoint: {e}"))))?;
                for (name, values) in &resolved.headers {
                    let name = HeaderName::from_bytes(name.as_bytes())
                        .map_err(|_| SetupError(format!("the endpoint rules give an invalid header name `{name}`")))?;
                    for value in values {
                        let value = HeaderValue::from_str(value).map_err(|_| {
                            SetupError(format!("the endpoint rules give an invalid value for header `{name}`"))
                        })?;
                        endpoint_headers.push((name.clone(), value));
                    }
                }
                if let Some(name) = resolved.signing_name {
                    signing_name = Some(name);
                }
                if let Some(r) = resolved.signing_region {
                    signing_region = Some(r);
                }
                resolved.url
            }
            Some(Err(e)) => return Err(SetupError(format!("the service's endpoint rules are invalid: {e}"))),
            None => match (&endpoint_url, &region) {
                (Some(url), _) => url.clone(),
                (None, Some(region)) => {
                    let prefix = self.service.endpoint_prefix.unwrap_or(self.service.sdk_id);
                    format!("https://{prefix}.{region}.amazonaws.com")
                }
                (None, None) => {
                    return Err(SetupError(with_why(
                        "no region: set `region` (e.g. \"us-east-1\") or `endpoint_url` on the config".into(),
                    )));
                }
            },
        };
        let base_url = base_url.trim_end_matches('/').to_owned();
        if !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
            return Err(SetupError(format!("the endpoint `{base_url}` must start with http:// or https://")));
        }
        let signing = match signing_name {
            None => None,
            Some(name) => {
                // The default chain's error, at the first attempt, says where it looked.
                let provider =
                    config.credentials_provider().cloned().unwrap_or_else(|| self.default_credentials.clone());
                let region = signing_region.ok_or_else(|| {
                    SetupError(with_why(
                        "no region to sign for: set `region` on the config (e.g. \"us-east-1\")".into(),
                    ))
                })?;
                Some((provider, region, name))
            }
        };
        Ok(Target { base_url, headers: endpoint_headers, signing })
    }

    fn user_agent(&self, config: &Config) -> String {
        let mut ua = format!("{}/{}", self.service.crate_name, self.service.crate_version);
        if let Some(app) = config.app_name() {
            ua.push_str(" app/");
            ua.push_str(app);
        }
        ua
    }

    /// Runs one call: resolves where it goes, then sends the serialised request, retrying as
    /// the retry config says, within the attempt and operation timeouts.
    ///
    /// Only this shell is generic. The retry loop and the attempt run with the output and the
    /// error types erased (the typed values wait in `output` and `error` below), so that they
    /// are compiled once rather than once per operation an app calls.
    pub async fn call<O: Send, E: ProvideErrorMetadata + CreateUnhandledError + Send>(
        &self,
        operation: &'static OperationInfo,
        config_override: Option<&ConfigBuilder>,
        request: Result<HttpRequest, BindingError>,
        parse: fn(&HttpResponse) -> Result<O, ParseFailure<E>>,
    ) -> Result<O, SdkError<E>> {
        let mut output: Option<O> = None;
        let mut error: Option<E> = None;
        let mut parse_erased = |response: &HttpResponse| match parse(response) {
            Ok(o) => {
                output = Some(o);
                Ok(())
            }
            Err(ParseFailure::Service(e)) => {
                let meta = e.meta().clone();
                error = Some(e);
                Err(ParseFailure::Service(ErasedError(meta)))
            }
            Err(ParseFailure::Response(e)) => Err(ParseFailure::Response(e)),
        };
        match self.call_erased(operation, config_override, request, &mut parse_erased).await {
            // Both slots are filled by the last attempt's parse before its result comes back;
            // the fallbacks only keep this free of panics.
            Ok(()) => output.ok_or_else(|| {
                SdkError::construction_failure(boxed(SetupError("the parsed output went missing".into())))
            }),
            Err(e) => Err(e.map_service_error(|ErasedError(meta)| {
                error.take().unwrap_or_else(|| E::create_unhandled_error(meta, None))
            })),
        }
    }

    async fn call_erased(
        &self,
        operation: &'static OperationInfo,
        config_override: Option<&ConfigBuilder>,
        request: Result<HttpRequest, BindingError>,
        parse: &mut ErasedParse<'_>,
    ) -> Result<(), SdkError<ErasedError>> {
        let merged;
        let config = match config_override {
            Some(o) => {
                merged = self.config.merged_with(o);
                &merged
            }
            None => &self.config,
        };
        let span = tracing::debug_span!("call", service = self.service.sdk_id, operation = operation.name);
        self.run(operation, config, request, parse).instrument(span).await
    }

    async fn run(
        &self,
        operation: &'static OperationInfo,
        config: &Config,
        request: Result<HttpRequest, BindingError>,
        parse: &mut ErasedParse<'_>,
    ) -> Result<(), SdkError<ErasedError>> {
        let request = request.map_err(|e| SdkError::construction_failure(boxed(e)))?;
        let request =
            body::prepare(request, operation, config).map_err(|e| SdkError::construction_failure(boxed(e)))?;
        let target = self.target(config).map_err(|e| SdkError::construction_failure(boxed(e)))?;
        let http = self.http.as_ref().map_err(|e| SdkError::construction_failure(e.clone() as BoxError))?;
        let retry = config.retry_config();
        let timeouts = config.timeout_config();
        let started = tokio::time::Instant::now();
        let deadline = started + timeouts.operation_timeout();
        let mut spent = 0;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let now = tokio::time::Instant::now();
            let budget = deadline.saturating_duration_since(now).min(timeouts.operation_attempt_timeout());
            let span = tracing::debug_span!("attempt", attempt);
            let outcome = tokio::time::timeout(budget, self.attempt(config, http, &target, &request, &mut *parse))
                .instrument(span)
                .await;
            let result = match outcome {
                Ok(Ok(output)) => {
                    self.quota.release(spent);
                    return Ok(output);
                }
                Ok(Err(e)) => e,
                Err(_) => {
                    let what = if tokio::time::Instant::now() >= deadline {
                        format!(
                            "the operation did not complete within {:?} (operation timeout)",
                            timeouts.operation_timeout()
                        )
                    } else {
                        format!("attempt {attempt} did not complete within {budget:?} (attempt timeout)")
                    };
                    SdkError::timeout_error(boxed(SetupError(what)))
                }
            };
            let kind = classify(operation, &result);
            if kind == retry::RetryKind::NotRetryable || attempt >= retry.max_attempts() {
                return Err(result);
            }
            let Some(cost) = self.quota.acquire(kind) else {
                tracing::debug!(attempt, "retry quota exhausted");
                return Err(result);
            };
            spent += cost;
            let backoff = retry.backoff(attempt, fastrand::f64());
            if tokio::time::Instant::now() + backoff >= deadline {
                return Err(result);
            }
            tracing::debug!(attempt, ?kind, backoff_ms = backoff.as_millis() as u64, "retrying");
            tokio::time::sleep(backoff).await;
        }
    }

    async fn attempt(
        &self,
        config: &Config,
        http: &SharedHttpConnector,
        target: &Target,
        request: &HttpRequest,
        parse: &mut ErasedParse<'_>,
    ) -> Result<(), SdkError<ErasedError>> {
        let path_and_query = request.uri().path_and_query().map_or("/", |p| p.as_str());
        let mut url = format!("{}{path_and_query}", target.base_url);
        if let Some(HostPrefix(prefix)) = request.extensions().get::<HostPrefix>()
            && !config.disable_host_prefix()
            && let Some(at) = url.find("://")
        {
            url.insert_str(at + 3, prefix);
        }
        let mut outgoing =
            http::Request::builder().method(request.method().clone()).uri(&url).body(request.body().clone()).map_err(
                |e| SdkError::construction_failure(boxed(SetupError(format!("invalid request URL `{url}`: {e}")))),
            )?;
        *outgoing.headers_mut() = request.headers().clone();
        for (name, value) in &target.headers {
            outgoing.headers_mut().append(name.clone(), value.clone());
        }
        if let Ok(ua) = HeaderValue::from_str(&self.user_agent(config)) {
            outgoing.headers_mut().insert(USER_AGENT, ua);
        }
        // The length is known: say it (and sign it), rather than leave it to the HTTP stack.
        if !outgoing.body().is_empty() {
            let length = HeaderValue::from(outgoing.body().len());
            outgoing.headers_mut().insert(http::header::CONTENT_LENGTH, length);
        }
        if let Some((provider, region, name)) = &target.signing {
            let credentials = provider.provide_credentials().await.map_err(|e| {
                let e = credentials::describe_error(&e);
                SdkError::construction_failure(boxed(SetupError(format!("could not load credentials: {e}"))))
            })?;
            sigv4::sign(&mut outgoing, &credentials, region, name, config.time_source().now())
                .map_err(SdkError::construction_failure)?;
        }
        tracing::debug!(method = %outgoing.method(), path = %outgoing.uri().path(), "sending request");
        let raw = http.call(outgoing).await.map_err(|e| match e.into_parts() {
            (ConnectorErrorKind::Timeout, source, _) => SdkError::dispatch_timeout(source),
            (ConnectorErrorKind::Response, source, Some(raw)) => SdkError::response_error(source, raw),
            (_, source, _) => SdkError::dispatch_failure(source),
        })?;
        let status = raw.status();
        tracing::debug!(status = status.as_u16(), "received response");
        match parse(&raw) {
            Ok(output) => Ok(output),
            Err(ParseFailure::Service(e)) => Err(SdkError::service_error(e, raw)),
            Err(ParseFailure::Response(e)) => Err(SdkError::response_error(e, raw)),
        }
    }
}

/// Whether a failed attempt is worth another.
fn classify<E: ProvideErrorMetadata>(operation: &OperationInfo, error: &SdkError<E>) -> retry::RetryKind {
    use retry::RetryKind;
    match error {
        SdkError::ConstructionFailure(_) => RetryKind::NotRetryable,
        SdkError::TimeoutError(_) => RetryKind::Timeout,
        SdkError::DispatchFailure(e) if e.is_timeout() => RetryKind::Timeout,
        SdkError::DispatchFailure(_) => RetryKind::Transient,
        SdkError::ResponseError(e) => match e.raw().status().as_u16() {
            500..=599 => RetryKind::Transient,
            _ => RetryKind::NotRetryable,
        },
        SdkError::ServiceError(e) => {
            let code = e.err().code();
            let modeled = code.and_then(|c| {
                operation.retryable_errors.iter().find(|(name, _)| *name == c).map(|(_, throttling)| *throttling)
            });
            retry::classify_response(e.raw().status().as_u16(), code, modeled)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static HEADER_SERVICE: ServiceInfo = ServiceInfo {
        sdk_id: "Example",
        signing_name: None,
        endpoint_prefix: None,
        api_version: None,
        crate_name: "example",
        crate_version: "0",
        endpoint_rules: Some(
            r#"{"version": "1.0", "parameters": {"Region": {"type": "String", "builtIn": "AWS::Region"}},
                "rules": [{"conditions": [], "type": "endpoint",
                           "endpoint": {"url": "https://example.test", "headers": {"x-extra": ["a", "b"]}}}]}"#,
        ),
    };

    #[test]
    fn endpoint_rule_headers_are_sent() {
        let config = Config::builder().region("us-east-1").env(env::Env::from_slice(&[])).build();
        let handle = Handle::new(config.clone(), &HEADER_SERVICE);
        let target = handle.target(&config).map_err(|e| e.0).unwrap();
        assert_eq!(target.base_url, "https://example.test");
        let values: Vec<&str> = target.headers.iter().map(|(_, v)| v.to_str().unwrap()).collect();
        assert_eq!(values, ["a", "b"]);
        assert!(target.headers.iter().all(|(n, _)| n == "x-extra"));
    }
}
