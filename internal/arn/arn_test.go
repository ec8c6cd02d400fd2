package arn

import "testing"

func TestShapes(t *testing.T) {
	r, a := DefaultRegion, DefaultAccount
	for _, c := range []struct{ got, want string }{
		{StateMachine(r, a, "M"), "arn:aws:states:us-east-1:123456789012:stateMachine:M"},
		{Execution(r, a, "M", "e1"), "arn:aws:states:us-east-1:123456789012:execution:M:e1"},
		{ExpressExecution(r, a, "M", "e1", "u"), "arn:aws:states:us-east-1:123456789012:express:M:e1:u"},
		{Activity(r, a, "act"), "arn:aws:states:us-east-1:123456789012:activity:act"},
		{LambdaFunction(r, a, "f"), "arn:aws:lambda:us-east-1:123456789012:function:f"},
		{IoT(r, a, "thing/w1"), "arn:aws:iot:us-east-1:123456789012:thing/w1"},
		{IAMRole(a, "stepwire"), "arn:aws:iam::123456789012:role/stepwire"},
	} {
		if c.got != c.want {
			t.Errorf("got %s, want %s", c.got, c.want)
		}
	}
}

func TestOr(t *testing.T) {
	if r, a := Or("", ""); r != DefaultRegion || a != DefaultAccount {
		t.Fatalf("Or(\"\", \"\") = %s, %s", r, a)
	}
	if r, a := Or("eu-west-1", "111122223333"); r != "eu-west-1" || a != "111122223333" {
		t.Fatalf("Or kept %s, %s", r, a)
	}
}
