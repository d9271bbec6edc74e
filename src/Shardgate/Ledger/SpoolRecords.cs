using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text.Json;
using Shardgate.Kernel;

namespace Shardgate.Ledger;

/// <summary>
/// The spool's record format: a 4-byte length, the payload's CRC-32 (both little-endian), and the row as UTF-8 JSON.
/// A record cut short by a crash, or one whose checksum does not match, ends the readable part of a segment.
/// </summary>
internal static class SpoolRecords
{
    private const int HeaderSize = 8;

    /// <summary>Appends <paramref name="entry"/>'s record to <paramref name="output"/>; <paramref name="scratch"/> and <paramref name="json"/> are reused between calls.</summary>
    public static void Write(RequestLogEntry entry, PooledBufferWriter output, PooledBufferWriter scratch, Utf8JsonWriter json)
    {
        scratch.Clear();
        json.Reset(scratch);
        JsonSerializer.Serialize(json, entry, SpoolJsonContext.Default.RequestLogEntry);
        var payload = scratch.WrittenSpan;
        var record = output.GetSpan(HeaderSize + payload.Length);
        BinaryPrimitives.WriteInt32LittleEndian(record, payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(record[4..], Crc32.HashToUInt32(payload));
        payload.CopyTo(record[HeaderSize..]);
        output.Advance(HeaderSize + payload.Length);
    }

    /// <summary>The whole records at the start of <paramref name="bytes"/>; <paramref name="torn"/> says bytes followed that were not one.</summary>
    public static List<RequestLogEntry> Read(ReadOnlySpan<byte> bytes, out bool torn)
    {
        var entries = new List<RequestLogEntry>();
        while (bytes.Length >= HeaderSize)
        {
            var length = BinaryPrimitives.ReadInt32LittleEndian(bytes);
            if (length <= 0 || length > bytes.Length - HeaderSize)
            {
                break;
            }

            var payload = bytes.Slice(HeaderSize, length);
            if (Crc32.HashToUInt32(payload) != BinaryPrimitives.ReadUInt32LittleEndian(bytes[4..]) || Parse(payload) is not { } entry)
            {
                break;
            }

            entries.Add(entry);
            bytes = bytes[(HeaderSize + length)..];
        }

        torn = !bytes.IsEmpty;
        return entries;
    }

    private static RequestLogEntry? Parse(ReadOnlySpan<byte> payload)
    {
        try
        {
            return JsonSerializer.Deserialize(payload, SpoolJsonContext.Default.RequestLogEntry);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
