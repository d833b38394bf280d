$version: "2.0"

metadata suppressions = [{ id: "Example", namespace: "*" }]
metadata "quoted key" = { list: [1, -2.5e3, true, null, "s"], nested: { a: """
    A text block with "quotes" and \u00e9 escapes.
    """ } }

namespace example.features

use aws.protocols#restJson1
use smithy.api#documentation

/// A service with a resource, an operation with inline input and output, and errors.
@restJson1
service Features {
    version: "2024-01-01"
    operations: [Echo]
    resources: [Thing]
    errors: [Oops]
    rename: { "other.ns#Name": "OtherName" }
}

resource Thing {
    identifiers: { thingId: ThingId }
    properties: { label: String }
    read: GetThing
}

@readonly
@http(method: "GET", uri: "/things/{thingId}")
operation GetThing {
    input := for Thing {
        @required
        @httpLabel
        $thingId
    }
    output := for Thing {
        $label
    }
}

@http(method: "POST", uri: "/echo/{Label+}?fixed=1", code: 201)
operation Echo {
    input := with [Common] {
        @required @httpLabel
        Label: String
        @httpQuery("q") Items: StringList
        @httpPrefixHeaders("X-Map-") Headers: StringMap = {}
    }
    output: EchoOutput
    errors: [Oops]
}

@mixin
structure Common {
    @length(min: 1, max: 10) @pattern("^[a-z]+$")
    token: String = "abc"
    @range(min: -1, max: 100)
    count: Integer
    @timestampFormat("epoch-seconds")
    when: Timestamp
}

structure EchoOutput {
    @jsonName("r") result: Choice
    kind: Kind = "A"
    level: Level
    doc: Document
    big: BigDecimal
}

@error("client") @httpError(418)
structure Oops { message: String }

union Choice { a: String, b: Integer, u: Unit, self: Choice }
enum Kind {
    A
    B = "b"
    @deprecated
    C
}
intEnum Level {
    LOW = 1
    HIGH = 10
}
@uniqueItems list StringList { member: String }
@sparse map StringMap { key: String, value: String }
string ThingId

apply Oops @documentation("An error.")
apply Oops$message @sensitive
