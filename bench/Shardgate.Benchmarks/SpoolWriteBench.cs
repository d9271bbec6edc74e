using System.Diagnostics;
using System.Globalization;
using System.IO.MemoryMappedFiles;

namespace Shardgate.Benchmarks;

/// <summary>
/// What appending one spool record costs, by how it is written: <c>pwrite</c> to a growing file, <c>pwrite</c> into
/// a file reserved and sized up front, a copy into a shared memory mapping whose pages fault on first write, and the
/// same with every page touched beforehand (the time that takes is printed too). 350-byte records, 2,800 per 1 MiB
/// segment, 10 segments a round, in a temporary directory on the machine's disk. The measurement behind keeping
/// <c>pwrite</c> for the spool (docs/benchmarks.md).
/// Usage: dotnet run -c Release --project bench/Shardgate.Benchmarks -- spoolwrite [rounds]
/// </summary>
internal static class SpoolWriteBench
{
    private const int Segment = 1 << 20;
    private const int PerSegment = 2_800;
    private const int Segments = 10;

    public static Task RunAsync(string[] args)
    {
        var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
        var directory = Directory.CreateTempSubdirectory("shardgate-spoolwrite-").FullName;
        var record = new byte[350];
        new Random(1).NextBytes(record);
        try
        {
            for (var round = 1; round <= rounds; round++)
            {
                Console.WriteLine($"round {round}:");
                Report("pwrite, growing file", Each(directory, (file, _, offset) => RandomAccess.Write(file, record, offset), record, reserve: false, mapped: false, touchPages: false));
                Report("pwrite, reserved and sized", Each(directory, (file, _, offset) => RandomAccess.Write(file, record, offset), record, reserve: true, mapped: false, touchPages: false));
                Report("mapped, faults inline", Each(directory, (_, view, offset) => view!.SafeMemoryMappedViewHandle.WriteSpan<byte>((ulong)offset, record), record, reserve: true, mapped: true, touchPages: false));
                Report("mapped, pages touched first", Each(directory, (_, view, offset) => view!.SafeMemoryMappedViewHandle.WriteSpan<byte>((ulong)offset, record), record, reserve: true, mapped: true, touchPages: true));
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Ticks per append over <see cref="Segments"/> fresh segments: each sized up front (<paramref name="reserve"/>),
    /// mapped into memory (<paramref name="mapped"/>), and its pages written once before the timed appends
    /// (<paramref name="touchPages"/>) as asked.
    /// </summary>
    private static List<long> Each(string directory, Action<Microsoft.Win32.SafeHandles.SafeFileHandle, MemoryMappedViewAccessor?, long> append, byte[] record, bool reserve, bool mapped, bool touchPages)
    {
        var times = new List<long>(Segments * PerSegment);
        var touching = 0L;
        for (var s = 0; s < Segments; s++)
        {
            var path = Path.Combine(directory, "segment");
            using (var file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read, FileOptions.None, reserve ? Segment : 0))
            {
                if (reserve)
                {
                    RandomAccess.SetLength(file, Segment);
                }

                using var mapping = mapped ? MemoryMappedFile.CreateFromFile(file, null, Segment, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: true) : null;
                using var view = mapping?.CreateViewAccessor(0, Segment);
                if (touchPages)
                {
                    var started = Stopwatch.GetTimestamp();
                    for (long page = 0; page < Segment; page += 4096)
                    {
                        view!.SafeMemoryMappedViewHandle.Write<byte>((ulong)page, 0);
                    }

                    touching += Stopwatch.GetTimestamp() - started;
                }

                for (var i = 0; i < PerSegment; i++)
                {
                    var started = Stopwatch.GetTimestamp();
                    append(file, view, (long)i * record.Length);
                    times.Add(Stopwatch.GetTimestamp() - started);
                }
            }

            File.Delete(path);
        }

        if (touchPages)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   touching a segment's pages: {touching * 1e6 / Stopwatch.Frequency / Segments:F0} µs per 1 MiB"));
        }

        return times;
    }

    private static void Report(string name, List<long> ticks)
    {
        ticks.Sort();
        double Micros(long t) => t * 1e6 / Stopwatch.Frequency;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"   {name,-28} mean {Micros((long)ticks.Average()),6:F2} µs, p50 {Micros(ticks[ticks.Count / 2]),6:F2}, p99 {Micros(ticks[ticks.Count * 99 / 100]),6:F2}, p99.9 {Micros(ticks[ticks.Count * 999 / 1000]),6:F2}"));
    }
}
