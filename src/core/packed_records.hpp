// A workspace's records in a compact binary form, for the base the browser stores under the
// records written since (see workspace_from_layers). Reading JSON text was most of start-up at
// 100,000 deals: the member names alone are a third of the document, and every value is
// parsed from text. Packed records carry no names and read straight into the structs.
//
// Only the records are packed: a base's workspace fields are never read, the top layer has
// them. A kept workspace is stored the same way, its fields as JSON beside its packed
// records. Exports and the desktop's file stay JSON, the documented format.
// Nothing but pack_records writes this form, so unpacking is strict: anything unexpected
// means the stored bytes are damaged, and nothing of them is used.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "workspace.hpp"

namespace pb {

// True when `bytes` start as pack_records writes them. Text never does: the first byte is a
// UTF-8 continuation byte.
bool is_packed_records(std::string_view bytes);

std::string pack_records(const Workspace& ws);

// Appends the packed records to the record lists of `out` (its other fields are left as they
// are); returns why the bytes cannot be read, leaving `out`'s record lists unspecified, when
// they cannot.
std::optional<std::string> unpack_records(std::string_view bytes, Workspace& out);

}  // namespace pb
