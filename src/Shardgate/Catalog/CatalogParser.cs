using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;

namespace Shardgate.Catalog;

/// <summary>
/// Reads and validates a catalog document (YAML or JSON; schema in docs/catalog.md). Every problem is collected with
/// its path and line, so one edit is refused as a whole with everything wrong in it said at once.
/// </summary>
internal static class CatalogParser
{
    public static readonly IReadOnlySet<string> Families = new HashSet<string>(StringComparer.Ordinal) { "kimi", "minimax", "qwen", "generic" };

    private static readonly HashSet<string> TopLevel = ["models", "aliases", "fallbacks"];
    private static readonly HashSet<string> ModelFields = ["family", "display_name", "prices", "max_output_tokens", "aliases", "access", "fallbacks", "state", "sunset", "replacement", "tokenizer"];
    private static readonly HashSet<string> PriceFields = ["input", "output", "cached_input"];
    private static readonly HashSet<string> TierFields = ["model", "max_prompt_tokens"];

    public static (CatalogSnapshot? Catalog, IReadOnlyList<CatalogProblem> Problems) Parse(string text)
    {
        try
        {
            var (root, lines) = YamlJson.Parse(text);
            return Parse(root, lines);
        }
        catch (YamlException ex)
        {
            return (null, [new CatalogProblem("", (int)ex.Start.Line, ex.Message)]);
        }
    }

    public static (CatalogSnapshot? Catalog, IReadOnlyList<CatalogProblem> Problems) Parse(JsonNode? root, IReadOnlyDictionary<string, int> lines)
    {
        var reader = new Reader(lines);
        var catalog = reader.Catalog(root);
        return reader.Problems.Count == 0 ? (catalog, []) : (null, reader.Problems);
    }

    private sealed class Reader(IReadOnlyDictionary<string, int> lines)
    {
        public List<CatalogProblem> Problems { get; } = [];

        public CatalogSnapshot Catalog(JsonNode? root)
        {
            if (root is null)
            {
                return CatalogSnapshot.Empty;
            }

            if (root is not JsonObject top)
            {
                Problem("", "the catalog must be a mapping with 'models', and optionally 'aliases' and 'fallbacks'");
                return CatalogSnapshot.Empty;
            }

            Known(top, "", TopLevel);
            var models = new List<CatalogModel>();
            foreach (var (id, node) in Object(top["models"], "models"))
            {
                if (Model(id, node, YamlJson.Join("models", id)) is { } model)
                {
                    models.Add(model);
                }
            }

            var byId = models.ToDictionary(m => m.Id, StringComparer.OrdinalIgnoreCase);
            var splits = Splits(top["aliases"], byId);
            var fallbacks = FallbackAliases(top["fallbacks"], byId);
            CrossCheck(models, byId, splits, fallbacks);
            return new CatalogSnapshot(models, splits, fallbacks);
        }

        private CatalogModel? Model(string id, JsonNode? node, string path)
        {
            if (string.IsNullOrWhiteSpace(id) || id != id.Trim())
            {
                Problem(path, "a model id must be non-empty, without surrounding spaces");
                return null;
            }

            if (node is not JsonObject model)
            {
                Problem(path, "a model must be a mapping of its fields (family, prices, …)");
                return null;
            }

            Known(model, path, ModelFields);
            var family = String(model["family"], YamlJson.Join(path, "family"), required: true);
            if (family is not null && !Families.Contains(family))
            {
                Problem(YamlJson.Join(path, "family"), $"unknown family '{family}': use one of {string.Join(", ", Families.Order())}");
            }

            var pricesPath = YamlJson.Join(path, "prices");
            long input = 0, output = 0;
            long? cached = null;
            if (model["prices"] is JsonObject prices)
            {
                Known(prices, pricesPath, PriceFields);
                input = Integer(prices["input"], YamlJson.Join(pricesPath, "input"), 0, required: true) ?? 0;
                output = Integer(prices["output"], YamlJson.Join(pricesPath, "output"), 0, required: true) ?? 0;
                cached = Integer(prices["cached_input"], YamlJson.Join(pricesPath, "cached_input"), 0, required: false);
            }
            else
            {
                Problem(pricesPath, "required: {input, output} in ngonka per token (0 for free), and optionally cached_input");
            }

            var maxOutput = Integer(model["max_output_tokens"], YamlJson.Join(path, "max_output_tokens"), 1, required: false);
            var state = Lifecycle(model["state"], YamlJson.Join(path, "state"));
            var sunset = Date(model["sunset"], YamlJson.Join(path, "sunset"));
            if (state == ModelLifecycle.Deprecated && sunset is null)
            {
                Problem(YamlJson.Join(path, "sunset"), "a deprecated model needs its sunset date (YYYY-MM-DD), served in the Sunset header");
            }

            return new CatalogModel(
                id,
                family ?? "generic",
                String(model["display_name"], YamlJson.Join(path, "display_name"), required: false),
                input,
                output,
                cached,
                maxOutput is null ? null : (int)Math.Min(maxOutput.Value, int.MaxValue),
                Strings(model["aliases"], YamlJson.Join(path, "aliases")),
                Access(model["access"], YamlJson.Join(path, "access")),
                Strings(model["fallbacks"], YamlJson.Join(path, "fallbacks")),
                state,
                sunset,
                String(model["replacement"], YamlJson.Join(path, "replacement"), required: false),
                TokenizerFile(model["tokenizer"], YamlJson.Join(path, "tokenizer")));
        }

        /// <summary>A tokenizer file must exist where the catalog is applied; it is loaded when the model is first counted.</summary>
        private string? TokenizerFile(JsonNode? node, string path)
        {
            var file = String(node, path, required: false);
            if (file is not null && !File.Exists(file))
            {
                Problem(path, $"no file at '{file}': give the path of the model's tokenizer.json or tiktoken file, as this process sees it");
            }

            return file;
        }

        private Dictionary<string, IReadOnlyList<CatalogArm>> Splits(JsonNode? node, Dictionary<string, CatalogModel> models)
        {
            var splits = new Dictionary<string, IReadOnlyList<CatalogArm>>(StringComparer.OrdinalIgnoreCase);
            foreach (var (alias, arms) in Object(node, "aliases"))
            {
                var path = YamlJson.Join("aliases", alias);
                if (arms is not JsonObject weights || weights.Count == 0)
                {
                    Problem(path, "an alias maps models to integer weights, for example {moonshotai/Kimi-K2.6: 90, moonshotai/Kimi-K3: 10}");
                    continue;
                }

                var list = new List<CatalogArm>();
                foreach (var (model, weight) in weights)
                {
                    var armPath = YamlJson.Join(path, model);
                    var w = Integer(weight, armPath, 0, required: true);
                    if (!models.TryGetValue(model, out var target))
                    {
                        Problem(armPath, $"the alias points at '{model}', which the catalog does not declare");
                    }
                    else if (target.State == ModelLifecycle.Retired)
                    {
                        Problem(armPath, $"'{model}' is retired: an alias cannot send traffic to it");
                    }
                    else if (w is { } value)
                    {
                        list.Add(new CatalogArm(target.Id, (int)Math.Min(value, 1_000_000)));
                    }
                }

                if (list.Count > 0 && list.Sum(a => a.Weight) == 0)
                {
                    Problem(path, "at least one weight must be above 0");
                }

                splits[alias] = list;
            }

            return splits;
        }

        private Dictionary<string, IReadOnlyList<CatalogTier>> FallbackAliases(JsonNode? node, Dictionary<string, CatalogModel> models)
        {
            var fallbacks = new Dictionary<string, IReadOnlyList<CatalogTier>>(StringComparer.OrdinalIgnoreCase);
            foreach (var (alias, tiers) in Object(node, "fallbacks"))
            {
                var path = YamlJson.Join("fallbacks", alias);
                if (tiers is not JsonArray list || list.Count == 0)
                {
                    Problem(path, "a fallback alias is a list of models in order: a model id, or {model, max_prompt_tokens}");
                    continue;
                }

                var chain = new List<CatalogTier>();
                for (var i = 0; i < list.Count; i++)
                {
                    var tierPath = YamlJson.Join(path, i.ToString(CultureInfo.InvariantCulture));
                    string? model;
                    long? maxPrompt = null;
                    if (list[i] is JsonObject tier)
                    {
                        Known(tier, tierPath, TierFields);
                        model = String(tier["model"], YamlJson.Join(tierPath, "model"), required: true);
                        maxPrompt = Integer(tier["max_prompt_tokens"], YamlJson.Join(tierPath, "max_prompt_tokens"), 1, required: false);
                    }
                    else
                    {
                        model = String(list[i], tierPath, required: true);
                    }

                    if (model is not null && !models.ContainsKey(model))
                    {
                        Problem(tierPath, $"'{model}' is not declared in the catalog's models");
                    }
                    else if (model is not null)
                    {
                        chain.Add(new CatalogTier(models[model].Id, maxPrompt));
                    }
                }

                fallbacks[alias] = chain;
            }

            return fallbacks;
        }

        private void CrossCheck(List<CatalogModel> models, Dictionary<string, CatalogModel> byId, Dictionary<string, IReadOnlyList<CatalogArm>> splits, Dictionary<string, IReadOnlyList<CatalogTier>> fallbacks)
        {
            var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            void Claim(string name, string path)
            {
                if (byId.ContainsKey(name))
                {
                    Problem(path, $"'{name}' is a model id; an alias cannot share it");
                }
                else if (!names.TryAdd(name, path))
                {
                    Problem(path, $"the name '{name}' is already used at {names[name]}");
                }
            }

            foreach (var model in models)
            {
                var path = YamlJson.Join("models", model.Id);
                for (var i = 0; i < model.Aliases.Count; i++)
                {
                    Claim(model.Aliases[i], YamlJson.Join(YamlJson.Join(path, "aliases"), i.ToString(CultureInfo.InvariantCulture)));
                }

                for (var i = 0; i < model.Fallbacks.Count; i++)
                {
                    var fallback = model.Fallbacks[i];
                    if (!byId.TryGetValue(fallback, out var target) || target.State == ModelLifecycle.Retired || string.Equals(fallback, model.Id, StringComparison.OrdinalIgnoreCase))
                    {
                        Problem(YamlJson.Join(YamlJson.Join(path, "fallbacks"), i.ToString(CultureInfo.InvariantCulture)), $"'{fallback}' must be another declared model that is not retired");
                    }
                }

                if (model.Replacement is { } replacement && (!byId.TryGetValue(replacement, out var next) || next.State == ModelLifecycle.Retired))
                {
                    Problem(YamlJson.Join(path, "replacement"), $"'{replacement}' must be a declared model that is not retired");
                }
            }

            foreach (var alias in splits.Keys)
            {
                Claim(alias, YamlJson.Join("aliases", alias));
            }

            foreach (var alias in fallbacks.Keys)
            {
                Claim(alias, YamlJson.Join("fallbacks", alias));
            }
        }

        private JsonObject Object(JsonNode? node, string path)
        {
            if (node is null or JsonObject)
            {
                return node as JsonObject ?? [];
            }

            Problem(path, "must be a mapping");
            return [];
        }

        private void Known(JsonObject obj, string path, HashSet<string> fields)
        {
            foreach (var (name, _) in obj)
            {
                if (!fields.Contains(name))
                {
                    Problem(YamlJson.Join(path, name), $"unknown field: known are {string.Join(", ", fields)}");
                }
            }
        }

        private string? String(JsonNode? node, string path, bool required)
        {
            if (node is JsonValue value && value.TryGetValue<string>(out var text) && text.Trim().Length > 0)
            {
                return text.Trim();
            }

            if (node is not null || required)
            {
                Problem(path, required && node is null ? "required" : "must be a non-empty string");
            }

            return null;
        }

        private long? Integer(JsonNode? node, string path, long min, bool required)
        {
            if (node is JsonValue value && value.TryGetValue<long>(out var n) && n >= min)
            {
                return n;
            }

            if (node is not null || required)
            {
                Problem(path, node is null ? "required" : $"must be a whole number of at least {min}");
            }

            return null;
        }

        private List<string> Strings(JsonNode? node, string path)
        {
            if (node is null)
            {
                return [];
            }

            if (node is not JsonArray list)
            {
                Problem(path, "must be a list");
                return [];
            }

            var strings = new List<string>();
            for (var i = 0; i < list.Count; i++)
            {
                if (String(list[i], YamlJson.Join(path, i.ToString(CultureInfo.InvariantCulture)), required: true) is { } s)
                {
                    strings.Add(s);
                }
            }

            return strings;
        }

        private HashSet<long>? Access(JsonNode? node, string path)
        {
            if (node is null || (node is JsonValue v && v.TryGetValue<string>(out var word) && word == "open"))
            {
                return null;
            }

            if (node is JsonArray list)
            {
                var accounts = new HashSet<long>();
                for (var i = 0; i < list.Count; i++)
                {
                    if (Integer(list[i], YamlJson.Join(path, i.ToString(CultureInfo.InvariantCulture)), 1, required: true) is { } id)
                    {
                        accounts.Add(id);
                    }
                }

                return accounts;
            }

            Problem(path, "must be 'open' or a list of account ids");
            return null;
        }

        private ModelLifecycle Lifecycle(JsonNode? node, string path)
        {
            if (node is null)
            {
                return ModelLifecycle.Active;
            }

            if (node is JsonValue v && v.TryGetValue<string>(out var text) && Enum.TryParse<ModelLifecycle>(text, ignoreCase: true, out var state) && text.All(char.IsLetter))
            {
                return state;
            }

            Problem(path, "must be preview, active, deprecated or retired");
            return ModelLifecycle.Active;
        }

        private DateOnly? Date(JsonNode? node, string path)
        {
            if (node is null)
            {
                return null;
            }

            if (node is JsonValue v && v.TryGetValue<string>(out var text) && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                return date;
            }

            Problem(path, "must be a date, YYYY-MM-DD");
            return null;
        }

        private void Problem(string path, string message) =>
            Problems.Add(new CatalogProblem(path.Length == 0 ? "(document)" : path, lines.TryGetValue(path, out var line) ? line : Parent(path), message));

        // A missing field has no line of its own: report its parent's.
        private int? Parent(string path)
        {
            for (var cut = path.LastIndexOf(YamlJson.Separator, StringComparison.Ordinal); cut > 0; cut = path.LastIndexOf(YamlJson.Separator, cut - 1, StringComparison.Ordinal))
            {
                if (lines.TryGetValue(path[..cut], out var line))
                {
                    return line;
                }
            }

            return lines.TryGetValue("", out var root) ? root : null;
        }
    }
}
