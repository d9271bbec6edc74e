using System.ComponentModel.DataAnnotations;
using Shardgate.Kernel;

namespace Shardgate.Catalog;

/// <summary>The model catalog's file (<c>Shardgate:Catalog</c>; <c>--catalog</c> or <c>SHARDGATE_CATALOG</c>).</summary>
internal sealed record CatalogOptions
{
    /// <summary>A YAML or JSON catalog file; unset, the catalog lives only in the database (PUT /admin/v1/catalog).</summary>
    public string? Path { get; init; }

    /// <summary>How often the file is read for changes; an edit is in force within this and the parse.</summary>
    [Range(typeof(TimeSpan), SettingLimits.ShortestSpan, SettingLimits.LongestSpan, ErrorMessage = SettingLimits.PositiveSpan)]
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(500);
}
