// Wire conversions of the common API messages that the client and the worker both build: retry
// policies, search attributes, memos and headers.
#include <cctype>
#include <cmath>
#include <ctime>
#include <iomanip>
#include <sstream>

#include "common/uuid.h"
#include "converter/proto.h"
#include "temporal/common/errors.h"

namespace temporal::converter {

namespace {
using Time = SearchAttributeValue::Time;

// A memo or header key: what the server indexes by. Callers that validate options name the
// field more precisely first; this is the last check before the wire.
void check_key(const std::string& key, const char* field) {
  if (key.empty()) throw InvalidArgumentError(field, std::string(field) + " is required and must not be empty");
  if (!temporal::detail::is_valid_utf8(key)) throw InvalidArgumentError(field, std::string(field) + " is not valid UTF-8");
}
}  // namespace

void to_proto_retry_policy(const RetryPolicy& p, apicommon::RetryPolicy* out) {
  to_proto_duration(p.initial_interval, out->mutable_initial_interval());
  out->set_backoff_coefficient(p.backoff_coefficient);
  if (p.maximum_interval) to_proto_duration(*p.maximum_interval, out->mutable_maximum_interval());
  out->set_maximum_attempts(p.maximum_attempts);
  for (const auto& t : p.non_retryable_error_types) out->add_non_retryable_error_types(t);
}

RetryPolicy from_proto_retry_policy(const apicommon::RetryPolicy& p) {
  RetryPolicy r;
  r.initial_interval = from_proto_duration(p.initial_interval());
  r.backoff_coefficient = p.backoff_coefficient();
  if (p.has_maximum_interval()) r.maximum_interval = from_proto_duration(p.maximum_interval());
  r.maximum_attempts = p.maximum_attempts();
  for (const auto& t : p.non_retryable_error_types()) r.non_retryable_error_types.push_back(t);
  return r;
}


namespace {
std::string format_rfc3339(Time t) {
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(ns / 1000000000);
  int64_t frac = ns % 1000000000;
  if (frac < 0) {
    frac += 1000000000;
    --secs;
  }
  std::tm tm{};
  gmtime_r(&secs, &tm);
  std::ostringstream os;
  os << std::put_time(&tm, "%Y-%m-%dT%H:%M:%S");
  if (frac) os << '.' << std::setw(9) << std::setfill('0') << frac;
  os << 'Z';
  return os.str();
}

Time parse_rfc3339(const std::string& s) {
  std::tm tm{};
  std::istringstream is(s);
  is >> std::get_time(&tm, "%Y-%m-%dT%H:%M:%S");
  if (is.fail()) throw DataConverterError("search attribute: cannot parse datetime '" + s + "'");
  int64_t nanos = 0;
  size_t pos = 19;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    int64_t scale = 100000000;
    while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) {
      nanos += (s[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
  }
  int64_t offset_seconds = 0;
  if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    auto digit = [&](size_t i) { return i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])); };
    if (!digit(pos + 1) || !digit(pos + 2) || pos + 3 >= s.size() || s[pos + 3] != ':' || !digit(pos + 4) ||
        !digit(pos + 5)) {
      throw DataConverterError("search attribute: cannot parse the UTC offset of datetime '" + s + "'");
    }
    int sign = s[pos] == '+' ? 1 : -1;
    int hh = (s[pos + 1] - '0') * 10 + (s[pos + 2] - '0'), mm = (s[pos + 4] - '0') * 10 + (s[pos + 5] - '0');
    offset_seconds = sign * (hh * 3600 + mm * 60);
  }
  std::time_t secs = timegm(&tm) - offset_seconds;
  // Time counts nanoseconds in 64 bits: years 1678 to 2261. Beyond, the conversion would overflow.
  constexpr int64_t kMaxSeconds = std::chrono::duration_cast<std::chrono::seconds>(Time::duration::max()).count() - 1;
  if (secs > kMaxSeconds || secs < -kMaxSeconds) {
    throw DataConverterError("search attribute: datetime '" + s + "' is outside the range this SDK represents");
  }
  return Time(std::chrono::duration_cast<Time::duration>(std::chrono::seconds(secs) + std::chrono::nanoseconds(nanos)));
}
}  // namespace

void encode_search_attributes(const SearchAttributes& attrs, apicommon::SearchAttributes* out) {
  for (const auto& [name, v] : attrs) {
    nlohmann::json j;
    switch (v.type) {
      case SearchAttributeType::kText:
      case SearchAttributeType::kKeyword:
        if (!std::holds_alternative<std::string>(v.value)) {
          throw InvalidArgumentError("search_attributes." + name, "search attribute '" + name + "' is " +
                                                                      to_string(v.type) + " but holds no string");
        }
        j = v.as_string();
        break;
      case SearchAttributeType::kInt:
        if (!std::holds_alternative<int64_t>(v.value)) {
          throw InvalidArgumentError("search_attributes." + name, "search attribute '" + name + "' is Int but holds no int64");
        }
        j = v.as_int();
        break;
      case SearchAttributeType::kDouble:
        if (!std::holds_alternative<double>(v.value)) {
          throw InvalidArgumentError("search_attributes." + name, "search attribute '" + name + "' is Double but holds no double");
        }
        j = v.as_double();
        break;
      case SearchAttributeType::kBool:
        if (!std::holds_alternative<bool>(v.value)) {
          throw InvalidArgumentError("search_attributes." + name, "search attribute '" + name + "' is Bool but holds no bool");
        }
        j = v.as_bool();
        break;
      case SearchAttributeType::kDatetime:
        if (!std::holds_alternative<SearchAttributeValue::Time>(v.value)) {
          throw InvalidArgumentError("search_attributes." + name, "search attribute '" + name + "' is Datetime but holds no time");
        }
        j = format_rfc3339(v.as_time());
        break;
      case SearchAttributeType::kKeywordList:
        if (!std::holds_alternative<std::vector<std::string>>(v.value)) {
          throw InvalidArgumentError("search_attributes." + name,
                                     "search attribute '" + name + "' is KeywordList but holds no string list");
        }
        j = v.as_keyword_list();
        break;
      default:
        throw InvalidArgumentError("search_attributes." + name + ".type",
                                   "search attribute '" + name + "' has type " + std::to_string(static_cast<int>(v.type)) +
                                       ", which is not a SearchAttributeType");
    }
    apicommon::Payload p;
    (*p.mutable_metadata())["encoding"] = "json/plain";
    (*p.mutable_metadata())["type"] = to_string(v.type);
    p.set_data(detail::dump_json(j, ("search attribute '" + name + "'").c_str()));
    (*out->mutable_indexed_fields())[name] = std::move(p);
  }
}

SearchAttributes decode_search_attributes(const apicommon::SearchAttributes& in) {
  SearchAttributes out;
  for (const auto& [name, p] : in.indexed_fields()) {
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(p.data());
    } catch (const nlohmann::json::exception&) {
      continue;  // not JSON: not a search attribute this SDK can read
    }
    std::string type;
    if (auto it = p.metadata().find("type"); it != p.metadata().end()) type = it->second;
    // Older SDKs (TypeScript's untyped searchAttributes) store single values as one-element arrays.
    if (type != "KeywordList" && !type.empty() && j.is_array() && j.size() == 1) j = j[0];
    SearchAttributeValue v;
    try {
    if (type == "Text") {
      v = SearchAttributeValue::text(j.get<std::string>());
    } else if (type == "Keyword") {
      v = SearchAttributeValue::keyword(j.get<std::string>());
    } else if (type == "Int") {
      if (!detail::json_number_fits<int64_t>(j)) {
        throw DataConverterError("search attribute '" + name + "' (type Int) holds " + j.dump() +
                                 ", which is not a 64-bit integer");
      }
      v = SearchAttributeValue::integer(j.get<int64_t>());
    } else if (type == "Double") {
      if (!j.is_number() || !std::isfinite(j.get<double>())) {
        throw DataConverterError("search attribute '" + name + "' (type Double) holds " + j.dump() +
                                 ", which is not a finite number");
      }
      v = SearchAttributeValue::floating(j.get<double>());
    } else if (type == "Bool") {
      v = SearchAttributeValue::boolean(j.get<bool>());
    } else if (type == "Datetime") {
      v = SearchAttributeValue::datetime(parse_rfc3339(j.get<std::string>()));
    } else if (type == "KeywordList" || j.is_array()) {
      v = SearchAttributeValue::keyword_list(j.get<std::vector<std::string>>());
    } else if (j.is_string()) {
      v = SearchAttributeValue::keyword(j.get<std::string>());
    } else if (j.is_number_integer() && detail::json_number_fits<int64_t>(j)) {
      v = SearchAttributeValue::integer(j.get<int64_t>());
    } else if (j.is_number() && std::isfinite(j.get<double>())) {
      v = SearchAttributeValue::floating(j.get<double>());
    } else if (j.is_boolean()) {
      v = SearchAttributeValue::boolean(j.get<bool>());
    } else {
      continue;
    }
    } catch (const nlohmann::json::exception& e) {
      throw DataConverterError("search attribute '" + name + "' (type " + (type.empty() ? "unknown" : type) +
                               ") holds " + j.dump() + ", which is not of that type: " + e.what());
    }
    out.emplace(name, std::move(v));
  }
  return out;
}

void encode_memo(const DataConverter& dc, const std::map<std::string, Payload>& memo, apicommon::Memo* out) {
  for (const auto& [k, v] : memo) {
    check_key(k, "memo key");
    (*out->mutable_fields())[k] = encode_one(dc, v);
  }
}

std::map<std::string, Payload> decode_memo(const DataConverter& dc, const apicommon::Memo& in) {
  std::map<std::string, Payload> out;
  for (const auto& [k, v] : in.fields()) out.emplace(k, decode_one(dc, v));
  return out;
}

void encode_headers(const std::map<std::string, Payload>& headers, apicommon::Header* out) {
  for (const auto& [k, v] : headers) {
    check_key(k, "headers key");
    (*out->mutable_fields())[k] = to_proto(v);
  }
}


}  // namespace temporal::converter
