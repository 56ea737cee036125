package com.astra.webhooks.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Short-form intrinsics are read as the long form they abbreviate. */
class TemplateModelTest {

    @Test
    void shortTagsBecomeLongForm() {
        TemplateModel t = TemplateModel.parse("""
                Parameters:
                  Size: {Type: Number, Default: 7}
                Resources:
                  Q:
                    Type: AWS::SQS::Queue
                    Properties:
                      A: !Ref Size
                      B: !GetAtt Other.Arn
                      C: !Sub "x-${AWS::Region}"
                      D: !GetAtt [Other, Arn]
                """);
        Map<String, Object> p = t.properties("Q");
        assertEquals(Map.of("Ref", "Size"), p.get("A"));
        assertEquals(7, t.intValue(p.get("A")));
        assertEquals(Map.of("Fn::GetAtt", List.of("Other", "Arn")), p.get("B"));
        assertEquals(Map.of("Fn::Sub", "x-${AWS::Region}"), p.get("C"));
        assertEquals("Other", TemplateModel.referencedResource(p.get("D")));
    }

    @Test
    void stubTemplateParses() {
        TemplateModel t = TemplateModel.load(StubStack.template());
        var source = t.sqsSource().orElseThrow();
        assertEquals(10, source.batchSize());
        assertEquals("EventsQueue", source.queueResource());
        assertEquals(5, t.function("DispatcherFunction").timeoutSeconds());
    }
}
