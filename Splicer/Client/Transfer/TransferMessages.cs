using System.Buffers.Binary;
using System.Text.Json;
using Splicer.Client.Failures;

namespace Splicer.Client.Transfer;

/// <summary>The transfer's control messages inside the protected stream: a 4-byte big-endian length, then JSON.</summary>
public static class TransferMessages
{
    public const int MaxLength = 64 << 20;
    private static readonly JsonSerializerOptions Json = TransferJson.CreateOptions();

    public static async Task WriteAsync<T>(Stream stream, T message, CancellationToken cancellationToken)
    {
        var json = message is TransferManifest manifest ? manifest.ToJson() : JsonSerializer.SerializeToUtf8Bytes(message, TransferJson.Info<T>(Json));
        await WriteBytesAsync(stream, json, cancellationToken);
    }

    public static async Task WriteBytesAsync(Stream stream, byte[] bytes, CancellationToken cancellationToken)
    {
        var length = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
        await stream.WriteAsync(length, cancellationToken);
        await stream.WriteAsync(bytes, cancellationToken);
    }

    public static async Task<byte[]> ReadBytesAsync(Stream stream, string what, CancellationToken cancellationToken)
    {
        var length = new byte[4];
        await ReadExactlyAsync(stream, length, what, cancellationToken);
        var count = BinaryPrimitives.ReadInt32BigEndian(length);
        if (count is < 0 or > MaxLength)
        {
            throw new ClientFailure($"the peer sent a {what} of {count} bytes; refused");
        }

        var bytes = new byte[count];
        await ReadExactlyAsync(stream, bytes, what, cancellationToken);
        return bytes;
    }

    public static async Task<T> ReadAsync<T>(Stream stream, string what, CancellationToken cancellationToken)
    {
        var bytes = await ReadBytesAsync(stream, what, cancellationToken);
        try
        {
            return JsonSerializer.Deserialize(bytes, TransferJson.Info<T>(Json)) ?? throw new ClientFailure($"the peer's {what} is empty");
        }
        catch (JsonException error)
        {
            throw new ClientFailure($"the peer's {what} cannot be read: {error.Message}");
        }
    }

    public static async Task ReadExactlyAsync(Stream stream, Memory<byte> buffer, string what, CancellationToken cancellationToken)
    {
        if (await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken) < buffer.Length)
        {
            throw new ClientFailure($"the peer ended the transfer before its {what}");
        }
    }
}
