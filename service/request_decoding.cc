#include "service/request_decoding.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/unknown_field_set.h>

#include <map>

#include "absl/strings/str_cat.h"
#include "corpus/text.h"

namespace patientqa::service {

namespace pb = google::protobuf;

absl::Status DecodeRequest(const std::string& bytes, pb::Message* message) {
  if (message->ParseFromString(bytes)) return absl::OkStatus();
  // Re-read the wire data without types to find the field that failed.
  pb::UnknownFieldSet fields;
  if (!fields.ParseFromString(bytes)) {
    return absl::InvalidArgumentError(
        absl::StrCat("request is not a valid ", message->GetDescriptor()->full_name(), " message"));
  }
  const pb::Descriptor* descriptor = message->GetDescriptor();
  std::map<int, int> seen;  // field number -> occurrences, for repeated fields
  for (int i = 0; i < fields.field_count(); ++i) {
    const pb::UnknownField& f = fields.field(i);
    const pb::FieldDescriptor* fd = descriptor->FindFieldByNumber(f.number());
    const int occurrence = seen[f.number()]++;
    if (fd == nullptr || fd->type() != pb::FieldDescriptor::TYPE_STRING ||
        f.type() != pb::UnknownField::TYPE_LENGTH_DELIMITED) {
      continue;
    }
    if (auto bad = corpus::FindInvalidUtf8(f.length_delimited())) {
      const std::string name =
          fd->is_repeated() ? absl::StrCat(fd->name(), "[", occurrence, "]") : fd->name();
      return absl::InvalidArgumentError(
          absl::StrCat(name, " must be valid UTF-8 (invalid byte at offset ", *bad, ")"));
    }
  }
  return absl::InvalidArgumentError(absl::StrCat("request is not a valid ", descriptor->full_name(),
                                                 " message (a field has the wrong type)"));
}

}  // namespace patientqa::service
