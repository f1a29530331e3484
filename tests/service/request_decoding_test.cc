#include "service/request_decoding.h"

#include <gtest/gtest.h>

#include "patientqa/v1/patientqa.pb.h"

namespace patientqa::service {
namespace {

// Encodes a length-delimited field by hand, so that invalid UTF-8 reaches the wire unchanged.
std::string Field(int number, const std::string& value) {
  std::string out;
  out += static_cast<char>((number << 3) | 2);
  out += static_cast<char>(value.size());
  return out + value;
}

TEST(RequestDecodingTest, DecodesAValidRequest) {
  v1::AskRequest in;
  in.set_question("what is an MDT?");
  in.add_history("hello");
  in.set_max_passages(3);
  v1::AskRequest out;
  ASSERT_TRUE(DecodeRequest(in.SerializeAsString(), &out).ok());
  EXPECT_EQ(out.question(), "what is an MDT?");
  EXPECT_EQ(out.history(0), "hello");
  EXPECT_EQ(out.max_passages(), 3);
}

TEST(RequestDecodingTest, NamesTheFieldWithInvalidUtf8) {
  v1::AskRequest out;
  absl::Status s = DecodeRequest(Field(1, "bad \xFF"), &out);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "question must be valid UTF-8 (invalid byte at offset 4)");

  s = DecodeRequest(Field(1, "ok") + Field(2, "fine") + Field(2, "\xC0\x80"), &out);
  EXPECT_EQ(s.message(), "history[1] must be valid UTF-8 (invalid byte at offset 0)");
}

TEST(RequestDecodingTest, RejectsBytesThatAreNotAMessage) {
  v1::AskRequest out;
  absl::Status s = DecodeRequest("\xFF\xFF\xFF", &out);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(std::string(s.message()).find("patientqa.v1.AskRequest"), std::string::npos);
}

}  // namespace
}  // namespace patientqa::service
