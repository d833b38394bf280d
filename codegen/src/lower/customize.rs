//! AWS SDK customisations: what the AWS SDKs do for particular services beyond what their
//! models say, applied to the IR after lowering. Each is matched by the service's
//! `aws.api#service` sdkId, as the SDKs match them, and only changes what the client sends.
//!
//! - API Gateway: every request asks for JSON (`Accept: application/json`), which the service
//!   needs to answer in JSON.
//! - Glacier: every request carries the API version in `X-Amz-Glacier-Version`; an `accountId`
//!   label left unset or empty is `-` (the caller's own account); uploads carry SHA-256 and
//!   tree-hash checksums of their body (`X-Amz-Content-Sha256`, `X-Amz-Sha256-Tree-Hash`).

use crate::ir::{Binding, Ir, LabelFallback, Type};

/// Applies the customisations of the IR's service, if it has any.
pub fn apply(ir: &mut Ir) {
    match ir.service.sdk_id.as_str() {
        "API Gateway" => {
            for op in &mut ir.operations {
                op.constant_headers.push(("Accept".into(), "application/json".into()));
            }
        }
        "Glacier" => {
            let version = ir.service.version.clone().unwrap_or_default();
            for op in &mut ir.operations {
                op.constant_headers.push(("X-Amz-Glacier-Version".into(), version.clone()));
                let account = op.input.members.iter().find(|m| {
                    m.name == "accountId"
                        && matches!(m.binding, Binding::Label { .. })
                        && matches!(m.ty, Type::String { .. })
                });
                if let Some(m) = account {
                    op.label_fallbacks.push(LabelFallback { member: m.name.clone(), value: "-".into() });
                }
                op.tree_hash_checksums = op
                    .input
                    .members
                    .iter()
                    .any(|m| m.binding == Binding::Payload && matches!(m.ty, Type::ByteStream { .. }));
            }
        }
        _ => {}
    }
}
