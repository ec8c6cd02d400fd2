package lambdaemu

import "testing"

// Lambda accepts a function as a name, a partial ARN or a full ARN, each
// with an optional version or alias qualifier (Invoke's FunctionName).
func TestFunctionName(t *testing.T) {
	tests := []struct{ ref, want string }{
		{"f", "f"},
		{"f:live", "f"},
		{"123456789012:function:f", "f"},
		{"123456789012:function:f:3", "f"},
		{"arn:aws:lambda:us-east-1:123456789012:function:f", "f"},
		{"arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST", "f"},
	}
	for _, tt := range tests {
		if got := FunctionName(tt.ref); got != tt.want {
			t.Errorf("FunctionName(%q) = %q, want %q", tt.ref, got, tt.want)
		}
	}
}
