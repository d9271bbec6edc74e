using System.Text.Json;
using Shardgate.Simulator.Generation;

namespace Shardgate.Simulator.Tests.Generation;

public sealed class SchemaArgumentsTests
{
    [Fact]
    public void Arguments_fit_types_enums_and_nesting()
    {
        using var schema = JsonDocument.Parse("""
            {"type":"object","properties":{
              "city":{"type":"string"},
              "unit":{"type":"string","enum":["celsius","fahrenheit"]},
              "days":{"type":"integer","minimum":3},
              "ratio":{"type":"number"},
              "alerts":{"type":"boolean"},
              "tags":{"type":"array","items":{"type":"string"}},
              "where":{"type":"object","properties":{"lat":{"type":"number"}}},
              "maybe":{"type":["null","string"]}
            },"required":["city"]}
            """);

        using var args = JsonDocument.Parse(SchemaArguments.Generate(schema.RootElement));
        var root = args.RootElement;

        Assert.Equal(JsonValueKind.String, root.GetProperty("city").ValueKind);
        Assert.Equal("celsius", root.GetProperty("unit").GetString());
        Assert.Equal(3, root.GetProperty("days").GetInt32());
        Assert.Equal(JsonValueKind.Number, root.GetProperty("ratio").ValueKind);
        Assert.True(root.GetProperty("alerts").GetBoolean());
        Assert.Equal(JsonValueKind.String, root.GetProperty("tags")[0].ValueKind);
        Assert.Equal(JsonValueKind.Number, root.GetProperty("where").GetProperty("lat").ValueKind);
        Assert.Equal(JsonValueKind.String, root.GetProperty("maybe").ValueKind);
    }

    [Fact]
    public void No_schema_gives_an_empty_object() => Assert.Equal("{}", SchemaArguments.Generate(null));
}
