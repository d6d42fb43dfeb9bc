"""Grad-CAM by autograd against its closed form for a linear signature through the average pool."""
from __future__ import annotations

import numpy as np
import pytest

from eprstats.deep.gradcam import gradcam, gradcam_patient, raw_coefficients, read_signature
from eprstats.errors import InputError


def test_gradcam_equals_the_closed_form(torch, model, oracle_resnet):
    g = torch.Generator().manual_seed(9)
    x = torch.randn(2, 3, 64, 64, generator=g)
    beta = np.random.default_rng(4).normal(size=512)
    cams, scores = gradcam(model, x, beta, intercept=0.7)
    # By hand: layer4 activations A from torchvision's own layers (everything before avgpool and fc);
    # d score / d A_k(i,j) = beta_k / (h w), so the map is relu(sum_k beta_k A_k) / (h w).
    body = torch.nn.Sequential(*list(oracle_resnet.children())[:-2]).eval()
    with torch.no_grad():
        a = body(x).double().numpy()
    h, w = a.shape[2:]
    expected = np.maximum(np.einsum("k,nkhw->nhw", beta, a), 0) / (h * w)
    assert cams.shape == (2, 2, 2) and (cams >= 0).all()
    np.testing.assert_allclose(cams, expected, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(scores, a.mean(axis=(2, 3)) @ beta + 0.7, rtol=1e-4)


def test_standardised_signature_becomes_raw_coefficients():
    beta, b0 = raw_coefficients({"f3": 2.0, "f10": -1.0}, 0.5, center={"f3": 1.0, "f10": 4.0},
                                scale={"f3": 4.0, "f10": 2.0})
    f = np.random.default_rng(1).normal(size=512)
    by_hand = 0.5 + 2.0 * (f[3] - 1.0) / 4.0 - 1.0 * (f[10] - 4.0) / 2.0
    assert f @ beta + b0 == pytest.approx(by_hand)
    with pytest.raises(InputError, match="not a deep feature"):
        raw_coefficients({"AFP": 1.0})


def test_signature_csv_and_patient_overlay(torch, model, tmp_path):
    (tmp_path / "sig.csv").write_text("feature,coefficient\n(Intercept),-1.5\nf1,0.25\nf7,-0.5\n")
    beta, b0 = read_signature(tmp_path / "sig.csv")
    assert b0 == -1.5 and beta[1] == 0.25 and beta[7] == -0.5 and np.count_nonzero(beta) == 2
    rng = np.random.default_rng(0)
    image = rng.normal(100, 20, size=(3, 230, 230)).astype(np.float32)
    mask = np.zeros(image.shape, bool)
    mask[1, 90:130, 90:140] = True
    table, maps = gradcam_patient(image, mask, model, beta, b0, patient="P3", out=tmp_path / "P3.png")
    assert maps.shape == (1, 224, 224) and (maps >= 0).all()
    assert list(table["slice"]) == [1] and table["padded"].all() and (tmp_path / "P3.png").stat().st_size > 1000
