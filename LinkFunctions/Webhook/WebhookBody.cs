using System.Buffers;

namespace LinkFunctions.Webhook;

/// <summary>The raw webhook body, read once into a pooled buffer and capped while streaming.</summary>
public sealed class WebhookBody : IDisposable
{
    public const int MaxBytes = 1024 * 1024;

    private byte[]? buffer;

    private WebhookBody(byte[] buffer, int length)
    {
        this.buffer = buffer;
        Length = length;
    }

    public int Length { get; }

    public ReadOnlySpan<byte> Span => buffer.AsSpan(0, Length);

    /// <summary>Null when the body exceeds <paramref name="maxBytes"/>; the excess is never buffered.</summary>
    public static async Task<WebhookBody?> ReadAsync(Stream stream, long? contentLength, int maxBytes, CancellationToken cancellationToken)
    {
        if (contentLength > maxBytes)
        {
            return null;
        }

        var rented = ArrayPool<byte>.Shared.Rent(contentLength is > 0 ? (int)contentLength + 1 : 16 * 1024);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == rented.Length)
                {
                    if (length > maxBytes)
                    {
                        ArrayPool<byte>.Shared.Return(rented);
                        return null;
                    }

                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(rented.Length * 2, maxBytes + 1));
                    rented.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(rented);
                    rented = larger;
                }

                var read = await stream.ReadAsync(rented.AsMemory(length, Math.Min(rented.Length, maxBytes + 1) - length), cancellationToken);
                if (read == 0)
                {
                    return new WebhookBody(rented, length);
                }

                length += read;
                if (length > maxBytes)
                {
                    ArrayPool<byte>.Shared.Return(rented);
                    return null;
                }
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(rented);
            throw;
        }
    }

    /// <summary>
    /// A read that failed because of the client: the connection dropped or the request was aborted (Kestrel throws
    /// an <see cref="IOException"/>), or the read was cancelled because the client went away or sent too slowly.
    /// </summary>
    public static bool IsIncomplete(Exception exception, CancellationToken readToken) =>
        exception is IOException || (exception is OperationCanceledException && readToken.IsCancellationRequested);

    public void Dispose()
    {
        var toReturn = Interlocked.Exchange(ref buffer, null);
        if (toReturn is not null)
        {
            ArrayPool<byte>.Shared.Return(toReturn);
        }
    }
}
