using System.CommandLine;
using System.Globalization;
using System.Numerics;

namespace Shardgate.Hosting;

/// <summary>Bounds on a numeric option, checked by the parser so a bad value is a usage error naming the option.</summary>
internal static class OptionRange
{
    public static Option<T> Between<T>(this Option<T> option, T min, T max)
        where T : INumber<T>
    {
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<T>();
            if (value < min || value > max)
            {
                result.AddError(string.Create(CultureInfo.InvariantCulture, $"{option.Name} must be between {min} and {max}, got {value}"));
            }
        });
        return option;
    }
}
