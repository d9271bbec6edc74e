using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Shardgate.Hosting;

/// <summary>Binds each feature's options record to its configuration section, validated when the gateway starts.</summary>
internal static class SettingsRegistration
{
    /// <summary>
    /// Binds <typeparamref name="T"/> to <paramref name="path"/> with <see cref="IOptions{T}"/>, validates it at start
    /// (<see cref="SettingsValidator{T}"/>), and registers the bound record itself for the feature to take.
    /// </summary>
    public static void AddSettings<T>(this IServiceCollection services, IConfiguration configuration, string path)
        where T : class
    {
        services.AddOptions<T>().Bind(configuration.GetSection(path)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<T>>(new SettingsValidator<T>(path));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<T>>().Value);
    }
}
