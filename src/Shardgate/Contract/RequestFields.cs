using System.Text.Json;
using System.Text.Json.Nodes;

namespace Shardgate.Contract;

/// <summary>
/// The request's top-level fields in their original order. Each is the parsed element as sent, or a replacement
/// set by a rule, or removed. Untouched fields are written upstream by copying their element, so the body is
/// decoded once and re-encoded only where a rule changed it.
/// </summary>
internal sealed class RequestFields
{
    // Requests carry about half a dozen fields; 40 bytes each, a larger start is allocated on every request.
    private readonly List<Field> _fields = new(12);

    public int Count => _fields.Count;

    public Field this[int index] => _fields[index];

    /// <summary>Adds a field from the body; a repeated key replaces the earlier one, as most JSON decoders do.</summary>
    public void AddOriginal(string name, JsonElement value)
    {
        var i = IndexOf(name);
        if (i >= 0)
        {
            _fields[i] = new Field(name, value, null, FieldState.Original);
        }
        else
        {
            _fields.Add(new Field(name, value, null, FieldState.Original));
        }
    }

    public bool Contains(string name) => IndexOf(name) >= 0;

    /// <summary>The field as sent, when no rule has replaced or removed it. JSON <c>null</c> counts as present.</summary>
    public bool TryGetOriginal(string name, out JsonElement value)
    {
        var i = IndexOf(name);
        if (i >= 0 && _fields[i].State == FieldState.Original)
        {
            value = _fields[i].Element;
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>The field as sent, treating JSON <c>null</c> as absent.</summary>
    public bool TryGetValue(string name, out JsonElement value) =>
        TryGetOriginal(name, out value) && value.ValueKind != JsonValueKind.Null;

    /// <summary>The value a rule set for the field, when one did.</summary>
    public bool TryGetReplacement(string name, out JsonNode? value)
    {
        var i = IndexOf(name);
        if (i >= 0 && _fields[i].State == FieldState.Replaced)
        {
            value = _fields[i].Replacement;
            return true;
        }

        value = null;
        return false;
    }

    public void Set(string name, JsonNode? value)
    {
        var i = IndexOf(name);
        var field = new Field(name, default, value, FieldState.Replaced);
        if (i >= 0)
        {
            _fields[i] = field;
        }
        else
        {
            _fields.Add(field);
        }
    }

    public void Remove(string name)
    {
        var i = IndexOf(name);
        if (i >= 0)
        {
            _fields.RemoveAt(i);
        }
    }

    private int IndexOf(string name)
    {
        for (var i = 0; i < _fields.Count; i++)
        {
            if (string.Equals(_fields[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    internal enum FieldState
    {
        Original,
        Replaced,
    }

    internal readonly record struct Field(string Name, JsonElement Element, JsonNode? Replacement, FieldState State);
}
