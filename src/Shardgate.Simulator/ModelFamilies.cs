namespace Shardgate.Simulator;

/// <summary>Canonical model ids and name parsing for <see cref="ModelFamily"/>.</summary>
public static class ModelFamilies
{
    public const string KimiModelId = "moonshotai/Kimi-K2.6";
    public const string MiniMaxModelId = "MiniMaxAI/MiniMax-M2.7";
    public const string QwenModelId = "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8";
    public const string GenericModelId = "shardgate/generic-sim";

    public static string DefaultModelId(ModelFamily family) => family switch
    {
        ModelFamily.Kimi => KimiModelId,
        ModelFamily.MiniMax => MiniMaxModelId,
        ModelFamily.Qwen => QwenModelId,
        _ => GenericModelId,
    };

    public static bool TryParse(string? name, out ModelFamily family)
    {
        switch (name?.Trim().ToLowerInvariant())
        {
            case "kimi": family = ModelFamily.Kimi; return true;
            case "minimax": family = ModelFamily.MiniMax; return true;
            case "qwen": family = ModelFamily.Qwen; return true;
            case "generic": family = ModelFamily.Generic; return true;
            default: family = ModelFamily.Generic; return false;
        }
    }
}
