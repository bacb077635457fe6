using System.Text.Json;
using System.Text.Json.Serialization;
using LinkFunctions.Storage;

namespace LinkFunctions.Notifications;

/// <summary>
/// The body POSTed to <c>Linking__NotifyUrl</c>: ids, type, method and time only. No token, nonce, secret or linkId
/// (an accountLink linkId is the SHA-256 of its nonce) is ever part of it.
/// </summary>
public sealed record LinkChangeNotification(
    string Id, string Type, string ServiceUserId, string? LineUserId, string Method, DateTimeOffset OccurredAt)
{
    public static LinkChangeNotification Of(OutboxDocument entry) =>
        new(entry.Id, entry.Type, entry.ServiceUserId, entry.LineUserId, entry.Method, entry.OccurredAt);

    /// <summary>The same entry always gives the same bytes, so a redelivery carries the same body and signature.</summary>
    public byte[] ToUtf8Json() => JsonSerializer.SerializeToUtf8Bytes(this, NotificationJsonContext.Default.LinkChangeNotification);
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(LinkChangeNotification))]
public sealed partial class NotificationJsonContext : JsonSerializerContext;
