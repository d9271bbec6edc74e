namespace Shardgate.Kernel;

/// <summary>Bounds shared by the options records' validation attributes (<c>[Range(typeof(TimeSpan), …)]</c> takes strings).</summary>
internal static class SettingLimits
{
    public const string ShortestSpan = "00:00:00.001";
    public const string LongestSpan = "365.00:00:00";
    public const string Zero = "00:00:00";
    public const string PositiveSpan = "must be a positive time span, such as 00:00:05 for five seconds";
    public const string SpanOrZero = "must be zero or a positive time span, such as 00:00:05 for five seconds";
    public const string Between = "must be between {1} and {2}";
    public const string AtLeast = "must be at least {1}";
}
