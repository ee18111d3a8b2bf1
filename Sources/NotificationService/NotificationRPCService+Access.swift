import ShopContracts
import ShopRPC

extension NotificationRPCService {
  /// Everything here is the signed-in user's own, reached through the gateway with the
  /// user's token; the VAPID public key is anyone's to subscribe with.
  static var accessPolicy: AccessPolicy {
    var rules = Dictionary(
      uniqueKeysWithValues: [
        "ListNotifications", "MarkRead", "CountUnread", "GetPreferences", "SetPreferences",
        "CreatePushSubscription", "DeletePushSubscription", "CreateWebhook", "ListWebhooks", "DeleteWebhook",
        "ListWebhookDeliveries",
      ].map { ($0, AccessPolicy.Rule(["gateway": .required])) })
    rules["GetVapidPublicKey"] = AccessPolicy.Rule(["gateway": .none])
    return AccessPolicy(service: Shop_Notification_V1_NotificationService.descriptor, rules: rules)
  }
}
