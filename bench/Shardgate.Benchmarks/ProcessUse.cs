using System.Globalization;

namespace Shardgate.Benchmarks;

/// <summary>
/// What a process has used so far: CPU in user and kernel mode, and context switches over its live threads (each a
/// sleep or a preemption). Subtract two readings for what happened between them.
/// </summary>
internal readonly record struct ProcessUse(TimeSpan User, TimeSpan Kernel, long ContextSwitches, IReadOnlyDictionary<string, long>? SwitchesByThread = null)
{
    public TimeSpan Total => User + Kernel;

    public static ProcessUse Read(int pid)
    {
        // /proc/[pid]/stat after the command's closing parenthesis: state is field 3, utime 14, stime 15 (clock ticks).
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var user = Ticks(fields[14 - 3]);
        var kernel = Ticks(fields[15 - 3]);
        var byThread = new Dictionary<string, long>();
        foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            try
            {
                var switches = 0L;
                foreach (var line in File.ReadLines(Path.Combine(task, "status")))
                {
                    if (line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal) || line.StartsWith("nonvoluntary_ctxt_switches:", StringComparison.Ordinal))
                    {
                        switches += long.Parse(line.AsSpan(line.IndexOf(':') + 1).Trim(), CultureInfo.InvariantCulture);
                    }
                }

                byThread[Path.GetFileName(task)] = switches;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The thread ended while being read.
            }
        }

        return new ProcessUse(user, kernel, byThread.Values.Sum(), byThread);
    }

    public static ProcessUse operator +(ProcessUse a, ProcessUse b) => new(a.User + b.User, a.Kernel + b.Kernel, a.ContextSwitches + b.ContextSwitches);

    /// <summary>What happened from <paramref name="b"/> to <paramref name="a"/>; switches are subtracted thread by thread, so a thread that ended in between is left out rather than counted negative.</summary>
    public static ProcessUse operator -(ProcessUse a, ProcessUse b)
    {
        var switches = 0L;
        foreach (var (thread, count) in a.SwitchesByThread ?? new Dictionary<string, long>())
        {
            switches += count - (b.SwitchesByThread?.GetValueOrDefault(thread) ?? 0);
        }

        return new(a.User - b.User, a.Kernel - b.Kernel, switches);
    }

    /// <summary>Per request: total, user and kernel CPU in µs, and context switches.</summary>
    public string PerRequest(long requests)
    {
        var n = Math.Max(1, requests);
        return string.Create(CultureInfo.InvariantCulture, $"{Total.TotalMicroseconds / n:F1} µs (user {User.TotalMicroseconds / n:F1}, kernel {Kernel.TotalMicroseconds / n:F1}; {(double)ContextSwitches / n:F2} context switches)");
    }

    // USER_HZ is 100 on Linux.
    private static TimeSpan Ticks(string value) => TimeSpan.FromMilliseconds(long.Parse(value, CultureInfo.InvariantCulture) * 10);
}
