namespace Shardgate.Tests.Infrastructure;

/// <summary>A fact that drives Debian's chromium (<see cref="Chromium.Path"/>); skipped, saying why, where it is not installed.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (!File.Exists(Chromium.Path))
        {
            Skip = $"no browser at {Chromium.Path}: install Debian's chromium (apt-get install -y chromium), as .ci/run does";
        }
    }
}
