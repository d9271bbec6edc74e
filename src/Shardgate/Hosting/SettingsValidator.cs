using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.Extensions.Options;

namespace Shardgate.Hosting;

/// <summary>
/// Checks one options record at start against its data annotations (and its own cross-field rules), and reports
/// every bad value as one line that names the setting by its configuration path, says what is allowed and what was
/// given: <c>Shardgate:Upstream:MaxAttempts must be between 1 and 10 (got 0).</c>
/// </summary>
internal sealed class SettingsValidator<T>(string section) : IValidateOptions<T>
    where T : class
{
    public ValidateOptionsResult Validate(string? name, T options)
    {
        var results = new List<ValidationResult>();
        if (Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            return ValidateOptionsResult.Success;
        }

        return ValidateOptionsResult.Fail(results.Select(r => Describe(options, r)));
    }

    private string Describe(T options, ValidationResult result)
    {
        var member = result.MemberNames.FirstOrDefault();
        if (member is null)
        {
            return $"{section}: {result.ErrorMessage}";
        }

        var value = typeof(T).GetProperty(member)?.GetValue(options);
        var shown = value switch
        {
            null => "nothing",
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString(),
        };
        return $"{section}:{member} {result.ErrorMessage} (got {shown}).";
    }
}
