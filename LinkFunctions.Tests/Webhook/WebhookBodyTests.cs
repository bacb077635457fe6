using LinkFunctions.Webhook;

namespace LinkFunctions.Tests.Webhook;

public class WebhookBodyTests
{
    private static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [Theory]
    [InlineData(100, true)]
    [InlineData(100, false)]
    [InlineData(WebhookBody.MaxBytes, true)]
    [InlineData(WebhookBody.MaxBytes, false)]
    public async Task ReadAsync_ExactlyAtTheCap_ReturnsTheWholeBody(int cap, bool withContentLength)
    {
        var data = RandomBytes(cap, cap);

        using var body = await WebhookBody.ReadAsync(new MemoryStream(data), withContentLength ? data.Length : null, cap, CancellationToken.None);

        Assert.NotNull(body);
        Assert.Equal(cap, body.Length);
        Assert.True(body.Span.SequenceEqual(data));
    }

    [Theory]
    [InlineData(100)]
    [InlineData(WebhookBody.MaxBytes)]
    public async Task ReadAsync_OneByteOverTheCapWithoutContentLength_ReturnsNull(int cap)
    {
        var data = RandomBytes(cap + 1, cap);

        using var body = await WebhookBody.ReadAsync(new MemoryStream(data), null, cap, CancellationToken.None);

        Assert.Null(body);
    }

    [Fact]
    public async Task ReadAsync_ContentLengthUnderstatesALargerBody_ReturnsNull()
    {
        var data = RandomBytes(WebhookBody.MaxBytes + 1, 7);

        using var body = await WebhookBody.ReadAsync(new MemoryStream(data), 10, WebhookBody.MaxBytes, CancellationToken.None);

        Assert.Null(body);
    }

    [Theory]
    [InlineData(WebhookBody.MaxBytes + 1L)]
    [InlineData(long.MaxValue)]
    public async Task ReadAsync_ContentLengthOverTheCap_ReturnsNullWithoutReading(long contentLength)
    {
        using var body = await WebhookBody.ReadAsync(new ThrowingStream(), contentLength, WebhookBody.MaxBytes, CancellationToken.None);

        Assert.Null(body);
    }

    [Fact]
    public async Task ReadAsync_ChunkedStreamOverTheCap_ReturnsNullWithoutConsumingMuchMore()
    {
        var data = RandomBytes(3 * WebhookBody.MaxBytes, 3);
        var stream = new ChunkedStream(data, 4096);

        using var body = await WebhookBody.ReadAsync(stream, null, WebhookBody.MaxBytes, CancellationToken.None);

        Assert.Null(body);
        Assert.True(stream.BytesRead <= WebhookBody.MaxBytes + 1, $"read {stream.BytesRead} bytes");
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(16 * 1024, 7)]
    [InlineData(16 * 1024 + 1, 4096)]
    [InlineData(300_000, 1)]
    [InlineData(300_000, 65_536)]
    [InlineData(WebhookBody.MaxBytes - 1, 8191)]
    public async Task ReadAsync_ChunkedStreamWithinTheCap_ReturnsExactlyTheInputBytes(int length, int chunk)
    {
        var data = RandomBytes(length, length);

        using var body = await WebhookBody.ReadAsync(new ChunkedStream(data, chunk), null, WebhookBody.MaxBytes, CancellationToken.None);

        Assert.NotNull(body);
        Assert.Equal(length, body.Length);
        Assert.True(body.Span.SequenceEqual(data));
        Assert.True(body.Span.SequenceEqual(data));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(5000)]
    public async Task ReadAsync_AccurateContentLength_ReturnsExactlyTheInputBytes(int length)
    {
        var data = RandomBytes(length, 11);

        using var body = await WebhookBody.ReadAsync(new ChunkedStream(data, 1000), length, WebhookBody.MaxBytes, CancellationToken.None);

        Assert.NotNull(body);
        Assert.True(body.Span.SequenceEqual(data));
    }

    [Fact]
    public async Task ReadAsync_CancelledToken_Throws()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var stream = new BlockingStream();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => WebhookBody.ReadAsync(stream, null, WebhookBody.MaxBytes, cts.Token));
    }

    private sealed class BlockingStream : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return 0;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
