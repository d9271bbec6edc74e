namespace Shardgate.Catalog;

/// <summary>Where a model is in its life: offered early, served, on its way out (with a sunset), or gone.</summary>
internal enum ModelLifecycle
{
    Preview,
    Active,
    Deprecated,
    Retired,
}
