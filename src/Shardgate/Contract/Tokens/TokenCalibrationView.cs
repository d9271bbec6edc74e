namespace Shardgate.Contract.Tokens;

/// <summary>One calibration as the admin API shows it: the factor, the margin, answers seen and the mean relative error.</summary>
internal sealed record TokenCalibrationView(string Key, double Factor, double Margin, long Samples, double MeanError);
