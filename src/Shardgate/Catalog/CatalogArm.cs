namespace Shardgate.Catalog;

/// <summary>One model of a weighted alias and its integer weight (the share is weight over the weights' sum).</summary>
internal sealed record CatalogArm(string Model, int Weight);
