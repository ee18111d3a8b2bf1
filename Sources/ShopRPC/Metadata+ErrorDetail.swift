import Foundation
import GRPCCore

extension Metadata {
  /// The metadata of a failed call as every service writes it: the stable API error code, a
  /// JSON detail (the invalid fields, the short lines) and the seconds to wait, when there are.
  public static func apiError(code: String, detail: (some Encodable)? = Optional<String>.none, retryAfter: Int? = nil)
    -> Metadata
  {
    var metadata: Metadata = [:]
    metadata.addString(code, forKey: RPCMetadataKeys.errorCode)
    if let detail, let json = try? JSONEncoder().encode(detail) {
      metadata.addString(String(decoding: json, as: UTF8.self), forKey: RPCMetadataKeys.errorDetail)
    }
    if let retryAfter { metadata.addString(String(retryAfter), forKey: RPCMetadataKeys.retryAfter) }
    return metadata
  }
}
