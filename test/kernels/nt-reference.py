# Generates nt-reference.json (run once: python3 nt-reference.py > nt-reference.json).
# An independent numpy implementation of the neural-tangents recursion for stax.serial(Dense, act, ..., Dense);
# the tests only read the JSON, they never need python.
import numpy as np, json
# neural-tangents style: Dense: Sigma' = w^2 Sigma + b^2, Theta' = Sigma' + w^2 Theta ; act: Sigma<-f1, Theta<-Theta*f2
def relu(S):
    d = np.diag(S); p = np.sqrt(np.outer(d,d))  # sqrt(a*b): exact correlation 1 on the diagonal
    r = np.clip(S/p, -1, 1); th = np.arccos(r)
    f1 = p*(np.sqrt((1-r)*(1+r)) + (np.pi-th)*r)/(2*np.pi)
    f2 = (np.pi-th)/(2*np.pi)
    return f1, f2
def erf(S):
    d = 1+2*np.diag(S); q = np.outer(d,d)
    f1 = 2/np.pi*np.arcsin(2*S/np.sqrt(q))
    f2 = 4/np.pi/np.sqrt(q-4*S**2)
    return f1, f2
def nt(X, act, depth, w, b):
    X = np.array(X, float); S = X@X.T/X.shape[1]; T = np.zeros_like(S)
    S = w*w*S + b*b; T = S.copy()
    for _ in range(depth):
        f1, f2 = act(S); T = T*f2; S = f1
        S = w*w*S + b*b; T = S + w*w*T
    return S, T
rng = np.random.default_rng(7)
X = np.round(rng.normal(size=(4,3)), 3).tolist()
out = []
for name, act in [('relu', relu), ('erf', erf)]:
    for depth, w, b in [(1,1,0),(3,1.5,0.3),(5,1.2,0.7)]:
        S, T = nt(X, act, depth, w, b)
        out.append(dict(activation=name, depth=depth, sigmaW=w, sigmaB=b, nngp=S.tolist(), ntk=T.tolist()))
print(json.dumps(dict(X=X, cases=out)))
