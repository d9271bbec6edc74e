using Shardgate.Catalog;

namespace Shardgate.Tests.Catalog;

public sealed class CatalogParserTests
{
    private const string Valid = """
        models:
          moonshotai/Kimi-K2.6:
            family: kimi
            display_name: Kimi K2.6
            prices: {input: 1, output: 4, cached_input: 0}
            max_output_tokens: 16384
            aliases: [kimi]
            fallbacks: [Qwen/Qwen3-235B-A22B-Instruct-2507-FP8]
            state: deprecated
            sunset: 2027-03-01
            replacement: moonshotai/Kimi-K3
          moonshotai/Kimi-K3:
            family: kimi
            prices: {input: 2, output: 8}
            state: preview
            access: [7, 9]
          Qwen/Qwen3-235B-A22B-Instruct-2507-FP8:
            family: qwen
            prices: {input: 1, output: 2}
        aliases:
          kimi-latest: {moonshotai/Kimi-K2.6: 90, moonshotai/Kimi-K3: 10}
        fallbacks:
          auto:
            - {model: Qwen/Qwen3-235B-A22B-Instruct-2507-FP8, max_prompt_tokens: 32000}
            - moonshotai/Kimi-K2.6
        """;

    [Fact]
    public void A_valid_catalog_declares_models_aliases_splits_and_fallbacks()
    {
        var (catalog, problems) = CatalogParser.Parse(Valid);

        Assert.Empty(problems);
        var kimi = catalog!.Models["MOONSHOTAI/kimi-k2.6"];
        Assert.Equal(("kimi", "Kimi K2.6", 1L, 4L, 0L, 16384), (kimi.Family, kimi.DisplayName, kimi.InputPerToken, kimi.OutputPerToken, kimi.CachedInputPerToken, kimi.MaxOutputTokens));
        Assert.Equal(ModelLifecycle.Deprecated, kimi.State);
        Assert.Equal(new DateOnly(2027, 3, 1), kimi.Sunset);
        Assert.True(kimi.Admits(null));
        Assert.False(catalog.Models["moonshotai/Kimi-K3"].Admits(8));
        Assert.True(catalog.Models["moonshotai/Kimi-K3"].Admits(9));
        Assert.Equal([new CatalogArm("moonshotai/Kimi-K2.6", 1)], catalog.Aliases["KIMI"]);
        Assert.Equal([90, 10], catalog.Aliases["kimi-latest"].Select(a => a.Weight));
        Assert.Equal([32000L, null], catalog.Fallbacks["auto"].Select(t => t.MaxPromptTokens));
    }

    [Theory]
    [InlineData("models:\n  m:\n    family: llama\n    prices: {input: 1, output: 1}\n", "line 3, models > m > family: unknown family 'llama'")]
    [InlineData("models:\n  m:\n    family: qwen\n    prices: {input: -1, output: 1}\n", "line 4, models > m > prices > input: must be a whole number of at least 0")]
    [InlineData("models:\n  m:\n    family: qwen\n", "line 3, models > m > prices: required")]
    [InlineData("models:\n  m:\n    family: qwen\n    prices: {input: 1, output: 1}\naliases:\n  a: {nothing: 100}\n", "line 6, aliases > a > nothing: the alias points at 'nothing'")]
    [InlineData("models:\n  m:\n    family: qwen\n    prices: {input: 1, output: 1}\n    state: deprecated\n", "models > m > sunset: a deprecated model needs its sunset date")]
    [InlineData("models:\n  m:\n    family: qwen\n    prices: {input: 1, output: 1}\n    pricse: 3\n", "line 5, models > m > pricse: unknown field")]
    [InlineData("models:\n  m:\n    family: qwen\n    prices: {input: 1, output: 1}\n    aliases: [m]\n", "'m' is a model id; an alias cannot share it")]
    [InlineData("models:\n  m:\n    family: qwen\n    prices: {input: 1, output: 1}\n    fallbacks: [gone]\n", "models > m > fallbacks > 0: 'gone' must be another declared model")]
    [InlineData("models:\n  m:\n    family: qwen\n    prices: {input: 1, output: 1}\n    state: retired\naliases:\n  a: {m: 1}\n", "'m' is retired: an alias cannot send traffic to it")]
    [InlineData("models:\n  m: [\n", "line")]
    public void An_invalid_catalog_is_refused_with_the_line_and_the_reason(string text, string expected)
    {
        var (catalog, problems) = CatalogParser.Parse(text);

        Assert.Null(catalog);
        Assert.Contains(problems, p => p.ToString().Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var (_, problems) = CatalogParser.Parse("models:\n  a:\n    family: nope\n  b:\n    family: qwen\n    prices: {input: x, output: 1}\n");

        Assert.Equal(["models > a > family", "models > a > prices", "models > b > prices > input"], problems.Select(p => p.Path));
    }

    [Fact]
    public void The_example_catalog_in_deploy_is_valid()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "shardgate.example.yaml");

        var (catalog, problems) = CatalogParser.Parse(File.ReadAllText(path));

        Assert.Empty(problems);
        Assert.Equal(3, catalog!.Models.Count);
        Assert.Equal(2, catalog.Aliases["chat-latest"].Count);
    }
}
