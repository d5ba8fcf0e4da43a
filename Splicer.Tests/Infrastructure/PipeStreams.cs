using System.Security.Cryptography;

namespace Splicer.Tests.Infrastructure;

/// <summary>A client process's stdin fed with seeded random bytes, and its stdout hashed: both give SHA-256 in hex to compare.</summary>
internal static class PipeStreams
{
    public static async Task<string> FeedAsync(Stream input, int seed, long length)
    {
        var random = new Random(seed);
        var buffer = new byte[256 * 1024];
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (long sent = 0; sent < length; sent += buffer.Length)
        {
            random.NextBytes(buffer);
            var chunk = buffer.AsMemory(0, (int)Math.Min(buffer.Length, length - sent));
            hash.AppendData(chunk.Span);
            await input.WriteAsync(chunk);
        }

        input.Close();
        return Convert.ToHexString(hash.GetHashAndReset());
    }

    public static async Task<string> HashAsync(Stream output)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[256 * 1024];
        int read;
        while ((read = await output.ReadAsync(buffer)) > 0)
        {
            hash.AppendData(buffer, 0, read);
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }
}
