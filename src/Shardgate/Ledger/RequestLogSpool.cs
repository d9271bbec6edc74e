using System.Globalization;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;
using Shardgate.Kernel;

namespace Shardgate.Ledger;

/// <summary>
/// The request log's local spool: numbered append-only segment files in one directory. A batch of rows is one
/// <c>pwrite</c>, where a database commit of the same rows is a transaction of page writes and locks. A written
/// record survives a crash of the process (it is in the OS's page cache), as a commit in SQLite's WAL with
/// <c>synchronous=NORMAL</c> does; neither survives the machine losing power. Segments rotate at each flush to the
/// database and are deleted once their rows are committed; segments found at start are a crashed run's, replayed
/// by the writer before anything else touches the ledger. One process holds the directory (an exclusive lock file),
/// so a second gateway on the same database cannot replay rows the first has not flushed yet.
/// Not thread-safe: the writer appends and rotates under its lock, and reads and deletes closed segments from its
/// one flush at a time.
/// </summary>
internal sealed class RequestLogSpool : IDisposable
{
    private const string Extension = ".spool";
    private readonly FileStream _lock;
    private readonly PooledBufferWriter _records = new(64 * 1024);
    private readonly PooledBufferWriter _scratch = new(1024);
    private readonly Utf8JsonWriter _json;
    private SafeFileHandle? _segment;
    private long _current;
    private long _oldestOwn;
    private long _offset;

    private RequestLogSpool(string directory, FileStream lockFile)
    {
        Directory = directory;
        _lock = lockFile;
        _json = new Utf8JsonWriter(_scratch);
        Leftovers = [.. System.IO.Directory.EnumerateFiles(directory, "*" + Extension).Where(p => Number(p) > 0).OrderBy(Number)];
        _current = Leftovers.Count == 0 ? 1 : Number(Leftovers[^1]) + 1;
        _oldestOwn = _current;
    }

    public string Directory { get; }

    /// <summary>Segments a previous run left, oldest first: rows it spooled and did not commit to the database.</summary>
    public IReadOnlyList<string> Leftovers { get; }

    /// <summary>Where the spool goes for these options (see <see cref="RequestLogOptions.RequestLogSpool"/>); null for none.</summary>
    public static string? DirectoryFor(RequestLogOptions options) => options.RequestLogSpool switch
    {
        null or "" or RequestLogOptions.Off => null,
        var directory => Path.GetFullPath(directory),
    };

    /// <summary>The spool in <paramref name="directory"/>, or null when another process holds it.</summary>
    public static RequestLogSpool? TryOpen(string directory)
    {
        FileStream lockFile;
        try
        {
            System.IO.Directory.CreateDirectory(directory);
            lockFile = new FileStream(Path.Combine(directory, "lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException) when (System.IO.Directory.Exists(directory) && File.Exists(Path.Combine(directory, "lock")))
        {
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StartupException($"The request-log spool directory '{directory}' cannot be used ({ex.Message}). Make it writable, name another with Shardgate:RequestLogSpool, or set it to 'off'.", ex);
        }

        return new RequestLogSpool(directory, lockFile);
    }

    /// <summary>Writes the rows to the current segment with one write; returns once the OS has them.</summary>
    public void Append(IReadOnlyList<RequestLogEntry> entries)
    {
        _records.Clear();
        for (var i = 0; i < entries.Count; i++)
        {
            SpoolRecords.Write(entries[i], _records, _scratch, _json);
        }

        _segment ??= File.OpenHandle(SegmentPath(_current), FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        RandomAccess.Write(_segment, _records.WrittenSpan, _offset);
        _offset += _records.WrittenCount;
    }

    /// <summary>Starts a new segment: the rows appended so far are all in segments numbered below it.</summary>
    public void Rotate()
    {
        _segment?.Dispose();
        _segment = null;
        _offset = 0;
        _current++;
    }

    /// <summary>This run's segments before the current one that are still on disk, oldest first.</summary>
    public List<string> ClosedSegments()
    {
        var closed = new List<string>();
        for (var number = _oldestOwn; number < _current; number++)
        {
            if (File.Exists(SegmentPath(number)))
            {
                closed.Add(SegmentPath(number));
            }
        }

        return closed;
    }

    /// <summary>Deletes this run's segments before the current one, once their rows are in the database.</summary>
    public void DeleteClosedSegments()
    {
        for (; _oldestOwn < _current; _oldestOwn++)
        {
            File.Delete(SegmentPath(_oldestOwn));
        }
    }

    /// <summary>Bytes in the spool's segments now, this run's and a previous run's not yet replayed; read from the directory, so safe from any thread.</summary>
    public long Bytes() => new DirectoryInfo(Directory).EnumerateFiles("*" + Extension).Sum(static f => f.Length);

    /// <summary>The whole records of a segment; <paramref name="torn"/> says it ended in a partial one (a write the crash cut).</summary>
    public static List<RequestLogEntry> Read(string segment, out bool torn) => SpoolRecords.Read(File.ReadAllBytes(segment), out torn);

    public void Dispose()
    {
        _segment?.Dispose();
        _json.Dispose();
        _records.Dispose();
        _scratch.Dispose();
        _lock.Dispose();
    }

    /// <summary>A segment's number from its file name; 0 for a file that is not a segment.</summary>
    private static long Number(string path) =>
        long.TryParse(Path.GetFileNameWithoutExtension(path), NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : 0;

    private string SegmentPath(long number) => Path.Combine(Directory, number.ToString("D12", CultureInfo.InvariantCulture) + Extension);
}
