$version: "1.0"
namespace example.v1

@box
integer BoxedInt

@enum([{ value: "a", name: "A" }, { value: "b", name: "B", deprecated: true }])
string OldEnum

structure Old {
    @required
    name: String,
    n: PrimitiveInteger,
    set: OldSet,
}

set OldSet {
    member: String
}
