using System.Globalization;

namespace Shardgate.Hosting;

/// <summary>
/// <c>--name value</c> pairs for the <c>demo</c> and <c>sim</c> verbs. Unknown names are errors, so a typo never
/// silently starts something other than what was asked.
/// </summary>
internal sealed class CliArguments
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    private CliArguments()
    {
    }

    public static CliArguments Parse(IReadOnlyList<string> args, IReadOnlySet<string> allowed)
    {
        var parsed = new CliArguments();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"unexpected argument '{arg}'");
            }

            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            var name = eq > 0 ? arg[2..eq] : arg[2..];
            if (!allowed.Contains(name))
            {
                throw new ArgumentException($"unknown option '--{name}'; known: {string.Join(", ", allowed.Order().Select(a => "--" + a))}");
            }

            string value;
            if (eq > 0)
            {
                value = arg[(eq + 1)..];
            }
            else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                value = args[++i];
            }
            else
            {
                throw new ArgumentException($"option '--{name}' needs a value");
            }

            parsed._values[name] = value;
        }

        return parsed;
    }

    public string? GetString(string name) => _values.GetValueOrDefault(name);

    public int GetInt(string name, int fallback, int min = int.MinValue, int max = int.MaxValue) =>
        !_values.TryGetValue(name, out var text) ? fallback
        : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max ? v
        : throw new ArgumentException($"--{name} must be an integer between {min} and {max}, got '{text}'");

    public double GetDouble(string name, double fallback, double min = 0) =>
        !_values.TryGetValue(name, out var text) ? fallback
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= min ? v
        : throw new ArgumentException($"--{name} must be a number of at least {min}, got '{text}'");
}
