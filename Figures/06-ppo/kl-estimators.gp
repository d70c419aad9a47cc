# KL estimators per token: bias (mean − exact) and spread, as the policy drifts
# Render from this directory: gnuplot kl-estimators.gp  (writes kl-estimators.png)
if (!exists("outfile")) outfile = 'kl-estimators.png'
set terminal pngcairo size 800,500 noenhanced font 'Sans,11'
set output outfile
set title 'KL estimators per token: bias (mean − exact) and spread, as the policy drifts'
set xlabel 'exact KL per token (nats)'
set ylabel 'nats'
set key top left box opaque
set grid
set style fill transparent solid 0.2 noborder
set offsets 0, 0, graph 0.05, graph 0.05
plot 'kl-estimators.dat' index 0 using 1:2 with lines lw 2 lc 1 title 'k1 bias', \
     'kl-estimators.dat' index 1 using 1:2 with lines lw 2 lc 2 title 'k2 bias', \
     'kl-estimators.dat' index 2 using 1:2 with lines lw 2 lc 3 title 'k3 bias', \
     'kl-estimators.dat' index 3 using 1:2 with lines lw 2 lc 4 title 'k1 std', \
     'kl-estimators.dat' index 4 using 1:2 with lines lw 2 lc 5 title 'k2 std', \
     'kl-estimators.dat' index 5 using 1:2 with lines lw 2 lc 6 title 'k3 std'
